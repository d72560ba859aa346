import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';

/** Writes a report file named by `flag`; a folder, or a folder that does not exist, is a one-line error and nothing is written. */
export function writeReport(file: string, text: string, flag: string): void {
  const target = path.resolve(file);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new UserError(`${flag} ${file}: is a folder; give a file name`);
  if (!fs.existsSync(path.dirname(target))) throw new UserError(`${flag} ${file}: the folder ${path.dirname(target)} does not exist; create it or give another file`);
  fs.writeFileSync(target, text);
}
