/**
 * The synthesized stacks are plain Terraform JSON: `terraform init -backend=false && terraform
 * validate` must accept every stack of the example, without cdktf.
 */
import { initAndValidate } from './support/terraform';
import { synthConfigFile } from './support/example';

const out = synthConfigFile();

describe('terraform validate accepts every synthesized stack of the example', () => {
  test('the example has at least three account stacks', () => {
    expect(out.stacks.length).toBeGreaterThanOrEqual(3);
  });

  test.each(out.stacks.map((s) => [s]))('%s', (stack) => {
    const result = initAndValidate(out.stackDir(stack));
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
