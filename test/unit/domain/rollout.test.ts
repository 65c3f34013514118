import { describe, expect, it } from 'vitest';
import { currentRouting, type Rollout, type RolloutEvent, routingAt, transition } from '../../../src/domain/rollout.js';

const t0 = '2026-11-26T12:00:00.000Z';
const at = (s: number) => new Date(Date.parse(t0) + s * 1000).toISOString();

function rollout(steps = [10, 50, 100], bakeMs = 0): Rollout {
  return {
    id: 'ro1',
    plan: {
      fn: 'fn',
      alias: 'prod',
      baseline: '3',
      canary: '4',
      schedule: { steps, everyMs: 60_000 },
      bakeMs,
      alarms: [],
    },
    state: { phase: 'planned' },
    startedBy: 'U0ALICE',
    request: 'r1',
    createdAt: t0,
    applied: [],
    channel: 'C0DEPLOY',
    revision: 1,
  };
}

/** Runs events in order, failing on any refusal; returns the last rollout and the effects. */
function run(r: Rollout, events: RolloutEvent[]) {
  const effects = [];
  let current = r;
  for (const e of events) {
    const t = transition(current, e);
    if (!t.ok) throw new Error(`${e.type} refused: ${t.reason}`);
    current = t.next;
    effects.push(t.effect);
  }
  return { rollout: current, effects };
}

const step = (k: number, s: number): RolloutEvent => ({
  type: 'step-applied',
  step: k,
  at: at(s),
  revisionId: `rev${k}`,
});

describe('rollout state machine', () => {
  it('a canary runs its steps on schedule and completes', () => {
    const { rollout: done } = run(rollout(), [{ type: 'start', at: at(0) }, step(0, 0), step(1, 60), step(2, 120)]);
    expect(done.state).toEqual({ phase: 'completed', at: at(120), by: 'system' });
    expect(done.applied.map((a) => a.percent)).toEqual([10, 50, 100]);
    expect(done.expectedRevision).toBe('rev2');
  });

  it('schedules the next step from when the last one was applied', () => {
    const { rollout: r } = run(rollout(), [{ type: 'start', at: at(0) }, step(0, 5)]);
    expect(r.state).toMatchObject({ phase: 'shifting', step: 0, nextAt: at(65) });
  });

  it('bakes at 100% before completing', () => {
    const { rollout: r } = run(rollout([10, 100], 600_000), [{ type: 'start', at: at(0) }, step(0, 0), step(1, 60)]);
    expect(r.state).toEqual({ phase: 'baking', until: at(660) });
    expect(run(r, [{ type: 'bake-done', at: at(660) }]).rollout.state.phase).toBe('completed');
  });

  it('a step can be applied only once and only in order', () => {
    const { rollout: r } = run(rollout(), [{ type: 'start', at: at(0) }, step(0, 0)]);
    expect(transition(r, step(0, 1))).toMatchObject({ ok: false, reason: expect.stringMatching(/not the next one/) });
    expect(transition(r, step(2, 1))).toMatchObject({ ok: false });
  });

  it('pause holds, resume restarts the current step’s wait', () => {
    const { rollout: r } = run(rollout(), [
      { type: 'start', at: at(0) },
      step(0, 0),
      { type: 'pause', by: 'U0BOB', reason: 'looking', at: at(10) },
      { type: 'resume', by: 'U0BOB', at: at(300) },
    ]);
    expect(r.state).toMatchObject({ phase: 'shifting', step: 0, nextAt: at(360) });
  });

  it('pausing while baking resumes into a full bake', () => {
    const { rollout: r } = run(rollout([100], 60_000), [
      { type: 'start', at: at(0) },
      step(0, 0),
      { type: 'pause', by: 'U0BOB', reason: 'x', at: at(30) },
      { type: 'resume', by: 'U0BOB', at: at(100) },
    ]);
    expect(r.state).toEqual({ phase: 'baking', until: at(160) });
  });

  it('abort sends all traffic back to the baseline, from any live phase', () => {
    for (const events of [
      [step(0, 0)],
      [step(0, 0), { type: 'pause', by: 'U', reason: 'x', at: at(1) } as RolloutEvent],
    ]) {
      const { rollout: r } = run(rollout(), [{ type: 'start', at: at(0) }, ...events]);
      const t = transition(r, { type: 'abort', by: 'U0BOB', reason: 'looks wrong', at: at(5) });
      expect(t).toMatchObject({
        ok: true,
        effect: { kind: 'route', routing: { primary: '3' } },
        next: { state: { phase: 'aborted' } },
      });
    }
  });

  it('an alarm rolls back; promote completes at once with all traffic on the canary', () => {
    const { rollout: r } = run(rollout(), [{ type: 'start', at: at(0) }, step(0, 0)]);
    expect(transition(r, { type: 'rollback', by: 'system', reason: 'alarm errors', at: at(5) })).toMatchObject({
      ok: true,
      effect: { kind: 'route', routing: { primary: '3' } },
      next: { state: { phase: 'rolled-back', by: 'system' } },
    });
    expect(transition(r, { type: 'promote', by: 'U0BOB', at: at(5) })).toMatchObject({
      effect: { kind: 'route', routing: { primary: '4' } },
      next: { state: { phase: 'completed', by: 'U0BOB' } },
    });
  });

  it('before its first step, abort has nothing to undo', () => {
    const { rollout: r } = run(rollout(), [{ type: 'start', at: at(0) }]);
    expect(transition(r, { type: 'abort', by: 'U', reason: 'x', at: at(1) })).toMatchObject({
      effect: { kind: 'none' },
    });
  });

  it('ended rollouts take no more controls, and say why', () => {
    const { rollout: done } = run(rollout([100]), [{ type: 'start', at: at(0) }, step(0, 0)]);
    for (const e of [
      { type: 'pause', by: 'U', reason: 'x', at: at(1) },
      { type: 'resume', by: 'U', at: at(1) },
      { type: 'abort', by: 'U', reason: 'x', at: at(1) },
      { type: 'promote', by: 'U', at: at(1) },
      { type: 'start', at: at(1) },
    ] as RolloutEvent[]) {
      expect(transition(done, e)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/completed|already started/),
      });
    }
  });

  it('routing at each step: canary share with the rest on the baseline, one decimal exact', () => {
    const r = rollout([2.5, 10, 100]);
    expect(routingAt(r.plan, 0)).toEqual({ primary: '3', additional: { version: '4', weight: 0.025 } });
    expect(routingAt(r.plan, 2)).toEqual({ primary: '4' });
    expect(currentRouting(run(r, [{ type: 'start', at: at(0) }, step(0, 0), step(1, 60)]).rollout)).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.1 },
    });
  });
});
