// The simulator holds each phone number to its throughput, as Meta does: beyond `messages_per_second` sends
// in one second it answers error 130429 ("Rate limit hit"), which senders must treat as back-pressure.
// The rate is the company's admin setting for the number (Meta's default tier, 80, when unset), so raising
// the setting raises the simulated tier too.
import { eq } from 'drizzle-orm';
import { getDb } from '../db/client';
import { companies } from '../db/schema';
import { DEFAULT_MESSAGES_PER_SECOND } from '../whatsapp/automations/pacer';
import { graphError } from './graph-errors';

/** How long a read of the number's rate is trusted: a changed setting applies within this. */
const RATE_TTL_MS = 5_000;

export class RateHold {
  private second = -1;
  private sent = 0;
  private rate: { value: number; readAt: number } | null = null;
  /** 130429 answers given since the object started: benchmarks read it to see back-pressure happen. */
  held = 0;

  constructor(
    private readonly env: Env,
    private readonly phoneNumberId: string,
  ) {}

  /** Null when this send may go now; otherwise Meta's 130429 answer. */
  async admit(now: number): Promise<Response | null> {
    const limit = await this.limit(now);
    // Counted after the await, with no await between check and count, so concurrent sends cannot both pass.
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.sent = 0;
    }
    if (this.sent >= limit) {
      this.held += 1;
      return graphError({ status: 429, code: 130429, retryAfterSeconds: 1 });
    }
    this.sent += 1;
    return null;
  }

  private async limit(now: number): Promise<number> {
    if (this.rate && now - this.rate.readAt < RATE_TTL_MS) return this.rate.value;
    const row = await getDb(this.env)
      .select({ rate: companies.messagesPerSecond })
      .from(companies)
      .where(eq(companies.phoneNumberId, this.phoneNumberId))
      .get();
    this.rate = { value: row?.rate ?? DEFAULT_MESSAGES_PER_SECOND, readAt: now };
    return this.rate.value;
  }
}
