/**
 * Whether Redis keeps its data across a restart. An audit log that lives only in memory is lost
 * with the process, so the composition root warns at start when this says `persistent: false`.
 */
import type { RedisClient } from './client.js';
import { isReplyError, redisFailure } from './errors.js';

export interface Persistence {
  readonly persistent: boolean;
  /** One line for the operator: what Redis does, or why it could not be told. */
  readonly detail: string;
}

/** What Redis answered: CONFIG GET where it is allowed, else the text of INFO persistence. */
export type PersistenceAnswers =
  | { readonly config: { readonly appendonly: string; readonly save: string } }
  | { readonly info: string };

/**
 * Judges the answers. CONFIG is exact; INFO only shows what happened since start (it has no
 * field for the `save` rules), so from INFO a Redis with no AOF and no snapshot yet counts as
 * not persistent, and the detail says that it could not be confirmed.
 * @example judgePersistence({ config: { appendonly: 'no', save: '' } }).persistent === false
 */
export function judgePersistence(answers: PersistenceAnswers): Persistence {
  if ('config' in answers) {
    const { appendonly, save } = answers.config;
    const aof = appendonly.trim().toLowerCase() === 'yes';
    const rdb = save.trim() !== '';
    if (aof && rdb) return { persistent: true, detail: `append-only file and RDB snapshots (save "${save.trim()}")` };
    if (aof) return { persistent: true, detail: 'append-only file (appendonly yes)' };
    if (rdb) {
      return {
        persistent: true,
        detail: `RDB snapshots only (save "${save.trim()}"): writes since the last snapshot are lost in a crash`,
      };
    }
    return { persistent: false, detail: 'no append-only file and no RDB snapshots (appendonly no, save "")' };
  }
  const fields = infoFields(answers.info);
  if (fields.get('aof_enabled') === '1') return { persistent: true, detail: 'append-only file (INFO: aof_enabled:1)' };
  const saves = Number(fields.get('rdb_saves') ?? 0);
  if (saves > 0 || fields.get('rdb_bgsave_in_progress') === '1') {
    return { persistent: true, detail: 'RDB snapshots are being taken (INFO persistence; CONFIG is disabled)' };
  }
  return {
    persistent: false,
    detail:
      'no append-only file and no RDB snapshot since start (INFO persistence; CONFIG is disabled, so not certain)',
  };
}

/** Asks Redis; CONFIG may be disabled or renamed (managed services do this), then INFO is used. */
export async function describePersistence(redis: RedisClient): Promise<Persistence> {
  let answers: PersistenceAnswers;
  try {
    const [appendonly, save] = await Promise.all([
      redis.config('GET', 'appendonly') as Promise<string[]>,
      redis.config('GET', 'save') as Promise<string[]>,
    ]);
    answers = { config: { appendonly: appendonly[1] ?? '', save: save[1] ?? '' } };
  } catch (error) {
    if (!isReplyError(error)) throw redisFailure(error, 'asking Redis how it persists data');
    try {
      answers = { info: await redis.info('persistence') };
    } catch (infoError) {
      throw redisFailure(infoError, 'asking Redis how it persists data');
    }
  }
  return judgePersistence(answers);
}

function infoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}
