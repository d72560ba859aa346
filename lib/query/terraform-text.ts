/**
 * Text that reaches Terraform as-is. Terraform reads `${` and `%{` in every JSON string as the start
 * of an interpolation or a directive; SQL (a LIKE on `%{`) and Athena's projection templates
 * (`${timestamp}`) contain them. Text free of both is written as it is; any other text is written as
 * a Terraform expression that yields it (base64decode of its bytes), which holds no `${`, `%{` or `$$`
 * of its own, so it is read back exactly whether or not the stack's JSON also escapes literal text.
 */
import { Fn } from 'cdktf';

export function terraformText(text: string): string {
  return /[$%]\{/.test(text) ? Fn.base64decode(Buffer.from(text, 'utf8').toString('base64')) : text;
}
