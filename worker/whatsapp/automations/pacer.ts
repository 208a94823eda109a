import { DurableObject } from 'cloudflare:workers';

/** Meta's default throughput per business phone number (error 130429 beyond it); the admin setting
 * `messages_per_second` raises it when Meta raises the number's tier (up to 1,000). */
export const DEFAULT_MESSAGES_PER_SECOND = 80;

/**
 * One per phone number id: hands out send slots at the number's rate, so however many queue consumers run at
 * once, together they stay under Meta's throughput. Memory only: after an eviction the next caller simply
 * starts a fresh schedule, and Meta's 130429 (retried by the conversation object) covers any overlap.
 */
export class AutomationPacer extends DurableObject<Env> {
  private nextFree = 0;

  /** Reserves `count` consecutive slots; answers when the first may go. Slot i goes at start + i / rate. */
  async reserve(count: number, perSecond: number): Promise<number> {
    const now = Date.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + (count * 1000) / Math.max(1, perSecond);
    return start;
  }
}

export const pacerFor = (env: Env, phoneNumberId: string) => env.AUTOMATION_PACER.getByName(phoneNumberId);
