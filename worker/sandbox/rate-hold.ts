// The simulator holds each phone number to its throughput, as Meta does: beyond `messages_per_second` a second
// it answers error 130429 ("Rate limit hit"), which senders must treat as back-pressure. A token bucket (a burst
// of one second's worth, refilled continuously) rather than calendar seconds: a sender paced to the rate is never
// held because two of its sends jittered across a second boundary.
// The rate is the company's admin setting for the number (Meta's default tier, 80, when unset), so raising
// the setting raises the simulated tier too.
import { eq } from 'drizzle-orm';
import { getDb } from '../db/client';
import { companies, whatsappNumbers } from '../db/schema';
import { DEFAULT_MESSAGES_PER_SECOND } from '../whatsapp/automations/pacer';
import { graphError } from './graph-errors';

/** How long a read of the number's rate is trusted: a changed setting applies within this. */
const RATE_TTL_MS = 5_000;

export class RateHold {
  private tokens = -1;
  private refilledAt = 0;
  private rate: { value: number; readAt: number } | null = null;
  /** 130429 answers given since the object started: benchmarks read it to see back-pressure happen. */
  held = 0;

  constructor(
    private readonly env: Env,
    private readonly phoneNumberId: string,
  ) {}

  /** Null when this send may go now; otherwise Meta's 130429 answer. */
  async admit(readAt: number): Promise<Response | null> {
    const limit = await this.limit(readAt);
    // Counted after the await (with the clock read again), with no await between check and count, so
    // concurrent sends cannot both take the last token.
    const now = Date.now();
    this.tokens = this.tokens < 0 ? limit : Math.min(limit, this.tokens + ((now - this.refilledAt) / 1000) * limit);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.held += 1;
      return graphError({ status: 429, code: 130429, retryAfterSeconds: 1 });
    }
    this.tokens -= 1;
    return null;
  }

  private async limit(now: number): Promise<number> {
    if (this.rate && now - this.rate.readAt < RATE_TTL_MS) return this.rate.value;
    const row = await getDb(this.env)
      .select({ own: whatsappNumbers.messagesPerSecond, company: companies.messagesPerSecond })
      .from(whatsappNumbers)
      .innerJoin(companies, eq(companies.id, whatsappNumbers.companyId))
      .where(eq(whatsappNumbers.phoneNumberId, this.phoneNumberId))
      .get();
    this.rate = { value: row?.own ?? row?.company ?? DEFAULT_MESSAGES_PER_SECOND, readAt: now };
    return this.rate.value;
  }
}
