/** Each planned Lambda function (the Insights responder) exists with the planned runtime and is not failed. */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

export const responder: Check = {
  id: 'responder',
  title: 'The responder function exists with the planned runtime and is not failed',
  severity: 'high',
  actions: ['lambda:GetFunctionConfiguration'],
  applies: (account, region) => resourcesOf(account, 'aws_lambda_function', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_lambda_function', region)) {
      const name = String(planned.values.function_name);
      const resource = `function ${name}`;
      let f;
      try {
        f = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      } catch (e) {
        if (errorName(e) !== 'ResourceNotFoundException') throw e;
        problems.push({ resource, expected: 'the function', found: 'no such function', fix: redeploy(account) });
        continue;
      }
      if (typeof planned.values.runtime === 'string' && f.Runtime !== planned.values.runtime) {
        problems.push({ resource, expected: `runtime ${planned.values.runtime}`, found: `runtime ${f.Runtime ?? 'none'}`, fix: redeploy(account) });
      }
      if (f.State === 'Failed' || f.LastUpdateStatus === 'Failed') {
        const reason = f.State === 'Failed' ? `${f.StateReasonCode ?? ''} ${f.StateReason ?? ''}` : `${f.LastUpdateStatusReasonCode ?? ''} ${f.LastUpdateStatusReason ?? ''}`;
        problems.push({ severity: 'critical', resource, expected: 'State Active, last update Successful', found: `failed: ${reason.trim()}`, fix: redeploy(account) });
      }
    }
    return problems;
  },
};
