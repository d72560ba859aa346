/**
 * The one boundary between text trailwatch did not write and Terraform JSON.
 *
 * Terraform reads every string of a `.tf.json` file as a template: `${...}` is an interpolation and
 * `%{...}` a directive, in values and in object keys alike (Terraform, "JSON Configuration Syntax":
 * https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping; "Strings and
 * Templates": https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
 * Text from the config, Sigma rules, custom detections, tags and descriptions may hold either
 * (SigmaHQ's aws_console_getsignintoken.yml matches `*Jersey/${project.version}*`), so every string
 * of every element's fragment is escaped (`$${`, `%%{`) before cdktf resolves its tokens: the value
 * AWS receives after Terraform reads the file is the original text.
 *
 * The `terraform` block (backend and cloud settings) is the exception: Terraform reads its strings
 * literally, without templates (a local backend's `path = "st$${x}"` writes a file named so), so its
 * text goes through as written.
 *
 * What trailwatch itself means as an expression is a cdktf token (a reference, `Fn`, `Op`, or
 * {@link terraformExpression}), encoded as `${TfToken[...]}` until resolution: those are left alone.
 */
import { TerraformElement, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

const TEMPLATE_START = /\$\{(?!TfToken\[)|%\{/g;

/** `${` -> `$${`, `%{` -> `%%{`, except cdktf's own token markers. Terraform reads the result back as `s`. */
export function escapeTerraformTemplate(s: string): string {
  return s.replace(TEMPLATE_START, (m) => `${m[0]}${m}`);
}

/** Escapes the strings (values and keys) of an unresolved fragment; tokens and class instances are left to cdktf. */
export function escapeFragment(v: unknown): unknown {
  if (typeof v === 'string') return escapeTerraformTemplate(v);
  if (Array.isArray(v)) return v.map(escapeFragment);
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeTerraformTemplate(k), escapeFragment(x)]));
  }
  return v;
}

const escaped = new WeakSet<IConstruct>();

/** Routes every Terraform element of `stack` through {@link escapeFragment} when the stack is synthesized. */
export function escapeStackText(stack: TerraformStack): void {
  for (const c of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(c) || escaped.has(c)) continue;
    escaped.add(c);
    const element = c as TerraformElement;
    const own = element.toTerraform.bind(element);
    element.toTerraform = () => {
      const { terraform, ...rest } = own() as Record<string, unknown>;
      return { ...(escapeFragment(rest) as object), ...(terraform === undefined ? {} : { terraform }) };
    };
  }
}
