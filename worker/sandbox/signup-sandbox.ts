// Embedded Signup in the simulator: the dialog's answer (a business, a WABA, a number and a code, as Meta's popup
// hands them to the page that opened it) and the Graph calls that follow (signup-graph.ts). Used by the
// "business" MetaSandbox instance only.
import { embeddedSignupConfig, metaTimeoutMs, SANDBOX_APP_ID } from '../config';
import { randomToken } from '../ids';
import { newGraphId } from './ids';
import { type SignupFault, type SignupSessionInput, signupFaultSchema, signupSessionSchema } from './signup-controls';
import { handleSignupGraph, type SignupGraphTarget } from './signup-graph';
import { type SignupCall, type SignupNumber, SignupSandboxStore } from './signup-store';

/** The app id the simulator expects in the code exchange: the one the app's dialog was opened with. */
const sandboxAppId = (env: Env): string => embeddedSignupConfig(env)?.appId ?? SANDBOX_APP_ID;

export interface SignupSession {
  code: string;
  waba_id: string;
  phone_number_id: string;
  business_id: string;
  display_phone_number: string;
  verified_name: string;
}

let displaySeq = 0;
/** A fresh UK mobile number (Ofcom's drama range, 07700 900xxx, so never a real person's) per number made. */
function newDisplayNumber(): string {
  displaySeq += 1;
  return `447700900${String((Date.now() + displaySeq) % 1000).padStart(3, '0')}`;
}

export class SignupSandbox {
  readonly store: SignupSandboxStore;

  constructor(
    storage: DurableObjectStorage,
    private readonly env: Env,
  ) {
    this.store = new SignupSandboxStore(storage);
  }

  graph(request: Request, target: SignupGraphTarget): Promise<Response> {
    return handleSignupGraph(request, target, {
      store: this.store,
      appId: sandboxAppId(this.env),
      appSecret: this.env.META_APP_SECRET,
      now: Date.now(),
      hang: () => new Promise((resolve) => setTimeout(resolve, metaTimeoutMs(this.env) + 1000)),
    });
  }

  /** The customer finished Meta's dialog: their number (new, under a new WABA or the one given) and a 30-second code. */
  finish(input: SignupSessionInput): SignupSession {
    const choice = signupSessionSchema.parse(input);
    const wabaId = choice.waba_id ?? newGraphId();
    const businessId = (choice.waba_id && this.store.wabaBusiness(choice.waba_id)) || newGraphId();
    const number: Omit<SignupNumber, 'pin' | 'registeredAt'> = {
      phoneNumberId: newGraphId(),
      wabaId,
      businessId,
      displayPhoneNumber: (choice.display_phone_number ?? newDisplayNumber()).replace(/\D/g, ''),
      verifiedName: choice.verified_name ?? 'Sandbox Gym',
    };
    const code = `AQSandbox${randomToken(64)}`;
    this.store.issue(number, code, Date.now());
    if (choice.existing_pin) this.store.setPin(number.phoneNumberId, choice.existing_pin);
    if (choice.fail_step)
      this.store.queueFaults(number.phoneNumberId, [
        signupFaultSchema.parse({
          step: choice.fail_step,
          status: 503,
          code: 2,
          title: 'Service temporarily unavailable',
        }),
      ]);
    return {
      code,
      waba_id: wabaId,
      phone_number_id: number.phoneNumberId,
      business_id: businessId,
      display_phone_number: number.displayPhoneNumber,
      verified_name: number.verifiedName,
    };
  }

  queueFaults(phoneNumberId: string, faults: SignupFault[]): void {
    this.store.queueFaults(
      phoneNumberId,
      faults.map((f) => signupFaultSchema.parse(f)),
    );
  }

  calls(objectIds: string[]): SignupCall[] {
    return this.store.calls(objectIds);
  }
}
