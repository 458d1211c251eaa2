// dockerfile-language-service checks a FROM's stage name with
// /^[a-z]([a-z0-9_\-.]*)*$/, which backtracks exponentially on a long name that
// fails near its end (FROM's third argument, whatever the words before it: a
// 52-character image reference there took 40 s of CPU, fuzz seed 100 #81609).
// Such a name is invalid either way: validate() is handed the text
// with that name's first character replaced by one that fails the check at
// once (same length, same positions), and its messages get the name back.
import type * as LanguageService from 'dockerfile-language-service';
import type { Diagnostic } from 'vscode-languageserver/node';
import { type DockerfileModel, parseDockerfile } from '../parse/dockerfile';

/** the names the service accepts, without the nested quantifier */
const STAGE_NAME = /^[a-z][a-z0-9_\-.]*$/;
const LONG = 16;

/** `model`: the text's model when the caller has it (the server's analysis of the same version), so it is not parsed again */
export function safeValidate(
  service: LanguageService.DockerfileLanguageService,
  text: string,
  known?: DockerfileModel,
): Diagnostic[] {
  let checked = text;
  const names: [string, string][] = [];
  const model = known?.text === text ? known : parseDockerfile(text);
  // the service checks a FROM's third argument as the stage name, whatever the words before it
  for (const from of model.instructions.filter((i) => i.keyword === 'FROM')) {
    const word = from.args[2];
    const name = word?.value;
    if (!name || name.length <= LONG || STAGE_NAME.test(name.toLowerCase())) continue;
    const start = model.lines.offsetAt(word.range.start);
    if (text.slice(start, model.lines.offsetAt(word.range.end)) !== name) continue;
    const stand = `0${name.slice(1)}`;
    checked = checked.slice(0, start) + stand + checked.slice(start + name.length);
    names.push([stand.toLowerCase(), name.toLowerCase()]);
  }
  const found = service.validate(checked) as Diagnostic[];
  if (!names.length) return found;
  return found.map((d) => ({
    ...d,
    message: names.reduce((m, [stand, name]) => m.split(stand).join(name), String(d.message)),
  }));
}
