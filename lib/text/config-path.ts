/** Config paths as printed (`accounts[2].id`): a leaf module, so planners can name paths without loading the config loader. */

export type PathSegment = string | number;

/** `accounts[2].id` */
export function formatPath(p: readonly PathSegment[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}
