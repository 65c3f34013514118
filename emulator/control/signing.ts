import { newUuid } from '../core/ids.js';
import { functionArn } from '../lambda/names.js';
import { readSigning } from '../lambda/signing.js';
import { bad, type ControlHandler, ok } from './reply.js';
import { placeFrom } from './specs.js';

/**
 * `PUT /_emulator/signing` `{"function", "profileVersionArn", "jobArn"}` (plus `account`, `region`): marks the code
 * on `$LATEST` as signed, which the emulator cannot learn from a zip. PublishVersion keeps it; new code drops it.
 */
export const putSigning: ControlHandler = (app, input) => {
  const name = input.function;
  if (typeof name !== 'string' || name === '') return bad('function is required');
  const where = placeFrom(input);
  if (typeof where === 'string') return bad(where);
  const signing = readSigning(input.profileVersionArn, input.jobArn);
  if (typeof signing === 'string') return bad(signing);
  const fn = app.lambda.findFunction(where, name);
  if (!fn) return bad(`no such function: ${functionArn(where, name)}`, 404);
  Object.assign(fn.latest, signing);
  // $LATEST changed, so it gets a new RevisionId, as every change to it does in AWS.
  fn.latest.RevisionId = newUuid();
  return ok({
    function: name,
    account: where.account,
    region: where.region,
    version: '$LATEST',
    profileVersionArn: signing.SigningProfileVersionArn,
    jobArn: signing.SigningJobArn,
  });
};
