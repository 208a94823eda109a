// Login throttling with the Workers rate-limiting binding: per account (guessing one person's password) and
// per address (trying many accounts). Both count every attempt; the limits (wrangler.toml) leave room for
// typos and a shared gym Wi-Fi. The binding does not say when a window ends, so Retry-After is its period.
import { ApiError } from '../errors';

export const LOGIN_RETRY_AFTER_SECONDS = 60;

export class TooManyAttempts extends ApiError {
  constructor() {
    super(429, 'too_many_attempts', 'Too many login attempts; wait a minute and try again');
  }
}

export async function throttleLogin(env: Env, email: string, address: string): Promise<void> {
  const [account, origin] = await Promise.all([
    env.LOGIN_ACCOUNT_LIMITER.limit({ key: `account:${email}` }),
    env.LOGIN_ADDRESS_LIMITER.limit({ key: `address:${address}` }),
  ]);
  if (!account.success || !origin.success) throw new TooManyAttempts();
}
