import { DurableObject } from 'cloudflare:workers';

export class MetaSandbox extends DurableObject<Env> {}
