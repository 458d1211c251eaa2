-- Headless Neovim on a .dockerignore: the server's CL103 (a root-anchored
-- `node_modules` while node_modules sits deeper) reaches vim.diagnostic, its
-- quick fix is applied by Neovim's own LSP client, and the finding goes away.
--   CACHELENS_SERVER, CACHELENS_ROOT, CACHELENS_RESULT, CACHELENS_TIMEOUT as in e2e.lua
local env = vim.env
local timeout = tonumber(env.CACHELENS_TIMEOUT or '') or 10000
local result = { ok = false }

local function fail(msg) error({ cachelens_failure = msg }, 0) end
local function wait_for(what, cond)
  local value
  if not vim.wait(timeout, function() value = cond(); return value ~= nil and value ~= false end, 20) then
    fail('timed out after ' .. timeout .. ' ms waiting for ' .. what)
  end
  return value
end
local function cl103(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'CL103' then return d end
  end
end
local function text(bufnr) return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n' end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'dockerignore'
  result.original = text(bufnr)
  local client_id = vim.lsp.start_client({ name = 'cachelens', cmd = { env.CACHELENS_SERVER, '--stdio' }, root_dir = env.CACHELENS_ROOT })
  if not client_id or not vim.lsp.buf_attach_client(bufnr, client_id) then fail('could not start or attach the server') end
  local client = wait_for('the client to initialize', function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c and c.initialized and c
  end)
  local d = wait_for('CL103 in vim.diagnostic', function() return cl103(bufnr) end)
  result.diagnostic = { lnum = d.lnum, message = d.message, source = d.source }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = d.lnum, character = 1 } }, timeout)
  local hover = responses and responses[client_id] and responses[client_id].result
  result.hover = hover and hover.contents and hover.contents.value or vim.NIL
  responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum) },
  }, timeout)
  local actions = responses and responses[client_id] and responses[client_id].result or {}
  result.actions = vim.tbl_map(function(a) return a.title end, actions)
  local action
  for _, a in ipairs(actions) do
    if a.title:find('**/', 1, true) then action = a end
  end
  if not action then fail('no "**/" fix among ' .. vim.inspect(result.actions)) end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  result.fixed = text(bufnr)
  wait_for('CL103 to clear', function() return cl103(bufnr) == nil end)
  vim.cmd('silent write')
  vim.lsp.stop_client(client_id)
  result.ok = true
end

vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = function()
  local ok, err = xpcall(run, function(e)
    if type(e) == 'table' and e.cachelens_failure then return e.cachelens_failure end
    return debug.traceback(tostring(e), 2)
  end)
  if not ok then result.error = err end
  local f = assert(io.open(env.CACHELENS_RESULT, 'w'))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd(ok and 'qall!' or 'cquit! 3')
end })
