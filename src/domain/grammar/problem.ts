/** A likely typo and its correction: the word as typed and the word probably meant. */
export interface Fix {
  readonly wrong: string;
  readonly right: string;
}

/**
 * A usage problem found while parsing a command: what is wrong and, when a typo is likely,
 * the fix. Thrown inside the grammar and caught by `parseCommand`, which lets nothing else escape.
 */
export class UsageProblem extends Error {
  readonly fix?: Fix;

  constructor(message: string, fix?: { readonly wrong: string; readonly right: string | undefined }) {
    super(message);
    this.name = 'UsageProblem';
    if (fix?.right !== undefined) this.fix = { wrong: fix.wrong, right: fix.right };
  }
}
