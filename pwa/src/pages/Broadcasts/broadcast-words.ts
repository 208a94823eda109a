// A broadcast's state and what each action means, in words; which actions each state offers (the server's own
// rule: worker/whatsapp/broadcasts/service.ts MOVES), so the app never offers a tap the server would refuse.
import type { BroadcastAction, BroadcastState } from '../../lib/api/broadcasts';

export const STATE_WORDS: Record<BroadcastState, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Sending',
  paused: 'Paused',
  cancelled: 'Cancelled',
  finished: 'Finished',
};

export const STATE_CHIP: Record<BroadcastState, string> = {
  draft: 'chip-closed',
  scheduled: 'chip-open',
  running: 'chip-open',
  paused: 'chip-closed',
  cancelled: 'chip-closed',
  finished: 'chip-open',
};

const ACTIONS: Record<BroadcastState, BroadcastAction[]> = {
  draft: ['start', 'cancel'],
  scheduled: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['start', 'cancel'],
  cancelled: [],
  finished: [],
};

export const actionsOf = (state: BroadcastState): BroadcastAction[] => ACTIONS[state];

export const actionLabel = (action: BroadcastAction, state: BroadcastState): string =>
  action === 'start' ? (state === 'paused' ? 'Resume' : 'Start') : action === 'pause' ? 'Pause' : 'Cancel broadcast';

export const CATEGORY_WORDS: Record<string, string> = {
  marketing: 'marketing',
  utility: 'utility',
  authentication: 'authentication',
};

/** "12 marketing messages" */
export const costWords = (cost: { category: string; messages: number }): string =>
  `${cost.messages} ${CATEGORY_WORDS[cost.category] ?? cost.category} message${cost.messages === 1 ? '' : 's'}`;
