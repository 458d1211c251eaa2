// CL201 makes no download claim where nothing is downloaded (issue 10 item 5): vendored Go modules,
// Go without go.mod, -mod=vendor in GOFLAGS.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL201', {
  valid: [
    {
      name: 'go build beside vendor/modules.txt',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n',
      files: { 'go.mod': 'module x\n', 'vendor/modules.txt': '', 'main.go': '' },
    },
    {
      name: 'go build with no go.mod',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app main.go\n',
      files: { 'main.go': '' },
    },
    {
      name: 'GOFLAGS=-mod=vendor in ENV',
      code: 'FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n',
    },
  ],
  invalid: [
    {
      name: 'go build with go.mod and no vendor/ downloads',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n',
      files: { 'go.mod': 'module x\n', 'go.sum': '', 'main.go': '' },
      errors: [{ line: 4 }],
    },
  ],
});
