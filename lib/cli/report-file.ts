import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../core/errors';

/** Refuses a report file named by `flag` that cannot be written: a folder, or in a folder that does not exist (checked before any work is done). */
export function checkReportTarget(file: string, flag: string): string {
  const target = path.resolve(file);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new UserError(`${flag} ${file}: is a folder; give a file name`);
  if (!fs.existsSync(path.dirname(target))) throw new UserError(`${flag} ${file}: the folder ${path.dirname(target)} does not exist; create it or give another file`);
  return target;
}

/** Writes a report file named by `flag` (see checkReportTarget). */
export function writeReport(file: string, text: string, flag: string): void {
  fs.writeFileSync(checkReportTarget(file, flag), text);
}
