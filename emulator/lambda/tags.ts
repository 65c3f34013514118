import type { LambdaContext, LambdaHandler, LambdaRequest } from './context.js';
import { invalidParameter, validation, validationMessage } from './errors.js';
import type { FunctionRecord } from './model.js';
import { checkPlace } from './names.js';
import { stringMap } from './validation.js';

const TAGGABLE =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** Tags live on the function; AWS refuses a qualified ARN with the recorded message. */
function taggedFunction(req: LambdaRequest, ctx: LambdaContext): FunctionRecord {
  const arn = req.labels.ARN ?? '';
  const match = TAGGABLE.exec(arn);
  if (!match) {
    throw validation(
      validationMessage(
        arn,
        'resource',
        'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:.*',
      ),
    );
  }
  if (match[4] !== undefined) {
    throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  }
  checkPlace({ region: match[1] as string, account: match[2] as string }, req, arn);
  return ctx.store.getFunction(req.place, match[3] as string);
}

/** POST /2017-03-31/tags/{ARN} */
export const tagResource: LambdaHandler = (req, ctx) => {
  const fn = taggedFunction(req, ctx);
  for (const [k, v] of Object.entries(stringMap(req.body.Tags) ?? {})) fn.tags.set(k, v);
  return { status: 204 };
};

/** DELETE /2017-03-31/tags/{ARN}?tagKeys=… */
export const untagResource: LambdaHandler = (req, ctx) => {
  const fn = taggedFunction(req, ctx);
  for (const key of req.query.getAll('tagKeys')) fn.tags.delete(key);
  return { status: 204 };
};

/** GET /2017-03-31/tags/{ARN} */
export const listTags: LambdaHandler = (req, ctx) => {
  const fn = taggedFunction(req, ctx);
  return { status: 200, body: { Tags: Object.fromEntries(fn.tags) } };
};
