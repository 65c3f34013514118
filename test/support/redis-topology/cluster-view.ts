/**
 * What one cluster node believes (`CLUSTER NODES`), parsed. Pairs and slot owners come from here,
 * not from `redis-cli --cluster create`'s output, which may pair nodes differently from what it did.
 */

export interface ClusterEntry {
  readonly id: string;
  readonly port: number;
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, … */
  readonly flags: ReadonlySet<string>;
  /** The id of the primary it replicates, for a replica. */
  readonly primaryId: string | undefined;
  /** `connected` or `disconnected`: the node's cluster-bus link to this one. */
  readonly link: string;
  /** Inclusive slot ranges it serves (a primary only). */
  readonly slots: readonly (readonly [number, number])[];
}

/**
 * Parses `CLUSTER NODES`: `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`.
 * Slots being migrated (`[1-<-id]`) are left out: the topologies here never reshard.
 */
export function parseClusterNodes(text: string): ClusterEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', master = '-', , , , link = '', ...slots] = line.trim().split(' ');
      return {
        id,
        port: Number(address.split('@')[0]?.split(':').pop()),
        flags: new Set(flags.split(',')),
        primaryId: master === '-' ? undefined : master,
        link,
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [start = '', end = start] = s.split('-');
            return [Number(start), Number(end)] as const;
          }),
      };
    });
}

/** The entry that serves `slot`, if any. */
export function ownerOf(view: readonly ClusterEntry[], slot: number): ClusterEntry | undefined {
  return view.find((e) => e.flags.has('master') && e.slots.some(([start, end]) => start <= slot && slot <= end));
}

/** True if the node flags it failing (`fail`) or suspects it (`fail?`). */
export function failing(entry: ClusterEntry): boolean {
  return entry.flags.has('fail') || entry.flags.has('fail?');
}
