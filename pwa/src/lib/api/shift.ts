// The logged-in staff member's shift: on shift, round-robin clubs give them new leads in turn.
import { client, unwrap } from './client';
import type { components } from './schema';

export type Shift = components['schemas']['Shift'];

export const getShift = () => unwrap(client.GET('/api/v1/me/shift'));

export const putShift = (onShift: boolean) => unwrap(client.PUT('/api/v1/me/shift', { body: { on_shift: onShift } }));
