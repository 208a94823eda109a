// A shared clock for "5h 12m left" chips: ticks every 30 s, so every visible chip counts down together.
import { signal } from '@preact/signals';

export const now = signal(Date.now());
if (typeof window !== 'undefined') setInterval(() => (now.value = Date.now()), 30_000);
