// Opening Meta's Embedded Signup dialog and catching what it returns: the code (FB.login's answer) and the WABA and
// number (the popup's WA_EMBEDDED_SIGNUP message event, session info v3). Live mode uses Facebook's JS SDK (loaded
// only on the Settings > WhatsApp page, whose CSP allows it); sandbox mode opens the simulator's stand-in page,
// which posts the same event and answer from this origin.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation

import { isFacebookOrigin, parseSignupMessage } from '#common/whatsapp-signup';
import type { SignupLauncher } from './api/signup';

export interface SignupDialogResult {
  code: string;
  wabaId: string;
  phoneNumberId: string;
  businessId: string | null;
}

/** The dialog ended without a number: the person closed it, or Meta said why in words. */
export class SignupDialogEnded extends Error {}

interface FbLoginResponse {
  authResponse?: { code?: string } | null;
  status?: string;
}

interface FacebookSdk {
  init(options: { appId: string; autoLogAppEvents: boolean; xfbml: boolean; version: string }): void;
  login(callback: (response: FbLoginResponse) => void, options: Record<string, unknown>): void;
}

declare global {
  interface Window {
    FB?: FacebookSdk;
    fbAsyncInit?: () => void;
  }
}

const SDK_URL = 'https://connect.facebook.net/en_US/sdk.js';

let sdk: Promise<FacebookSdk> | null = null;

/** Loads and initialises Facebook's SDK once (before the click: FB.login must run inside it, or the popup is blocked). */
export function loadFacebookSdk(launcher: SignupLauncher): Promise<FacebookSdk> {
  sdk ??= new Promise<FacebookSdk>((resolve, reject) => {
    window.fbAsyncInit = () => {
      const fb = window.FB;
      if (!fb) return reject(new Error('Facebook’s SDK did not start'));
      fb.init({ appId: launcher.app_id, autoLogAppEvents: true, xfbml: false, version: launcher.graph_version });
      resolve(fb);
    };
    const script = document.createElement('script');
    script.src = SDK_URL;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.onerror = () => {
      sdk = null;
      reject(new Error('Facebook’s sign-in could not load: check the connection (or a blocker) and try again'));
    };
    document.head.append(script);
  });
  return sdk;
}

/** Whether this document may load Facebook's SDK: only a full load of Settings > WhatsApp carries that CSP. */
export const facebookAllowedHere = (): boolean => CONNECT_DOCUMENT;

/** Read once at start-up: the path this document was loaded at (client-side navigation keeps the first CSP). */
const CONNECT_DOCUMENT = typeof location !== 'undefined' && /^\/settings\/whatsapp\/?$/.test(location.pathname);

/**
 * Opens the dialog (call it straight from the click) and settles once both halves arrived: the code and the FINISH
 * event, in whichever order. Rejects with SignupDialogEnded on CANCEL, ERROR or a login without a code.
 */
export function openSignupDialog(launcher: SignupLauncher, fb: FacebookSdk | null): Promise<SignupDialogResult> {
  return new Promise((resolve, reject) => {
    let code: string | null = null;
    let finish: { wabaId: string; phoneNumberId: string; businessId: string | null } | null = null;
    let popup: Window | null = null;
    let watch = 0;
    const done = () => {
      window.removeEventListener('message', onMessage);
      window.clearInterval(watch);
    };
    const settle = () => {
      if (code && finish) {
        done();
        resolve({ code, ...finish });
      }
    };
    const end = (why: string) => {
      done();
      reject(new SignupDialogEnded(why));
    };
    const onLogin = (response: FbLoginResponse) => {
      const c = response.authResponse?.code;
      if (!c) return end('The Facebook dialog was closed before it finished: nothing was connected');
      code = c;
      settle();
    };
    const onMessage = (event: MessageEvent) => {
      const sandbox = launcher.mode === 'sandbox' && event.origin === location.origin;
      if (!sandbox && !isFacebookOrigin(event.origin)) return;
      if (sandbox && isSandboxLogin(event.data)) return onLogin(event.data.response);
      const message = parseSignupMessage(event.data);
      if (!message) return;
      if (message.event === 'FINISH') {
        finish = { wabaId: message.wabaId, phoneNumberId: message.phoneNumberId, businessId: message.businessId };
        settle();
      } else if (message.event === 'FINISH_ONLY_WABA')
        end('Facebook’s dialog finished without a phone number: run it again and add the gym’s number');
      else if (message.event === 'CANCEL')
        end(
          `The Facebook dialog was closed${message.currentStep ? ` at ${stepWords(message.currentStep)}` : ''}: nothing was connected`,
        );
      else end(`Meta’s dialog reported: ${message.message}`);
    };
    window.addEventListener('message', onMessage);
    if (launcher.mode === 'facebook' && fb) {
      fb.login(onLogin, {
        config_id: launcher.config_id,
        response_type: 'code',
        override_default_response_type: true,
        // Session info v3 (also what v4 sends); the version itself comes from the login configuration.
        extras: { setup: {}, featureType: '', sessionInfoVersion: '3' },
      });
      return;
    }
    const url = `${launcher.dialog_url ?? '/sandbox/embedded-signup'}?app_id=${encodeURIComponent(launcher.app_id)}&config_id=${encodeURIComponent(launcher.config_id)}`;
    popup = window.open(url, 'clubchat-embedded-signup', 'popup,width=420,height=720');
    if (!popup) return end('The browser blocked the sign-up window: allow pop-ups for ClubChat and try again');
    // A window closed without a word (the stand-in page posts before it closes).
    watch = window.setInterval(() => {
      if (popup?.closed && !(code && finish)) {
        window.setTimeout(() => {
          if (!(code && finish)) end('The sign-up window was closed before it finished: nothing was connected');
        }, 500);
        window.clearInterval(watch);
      }
    }, 500);
  });
}

function isSandboxLogin(data: unknown): data is { type: 'SANDBOX_FB_LOGIN'; response: FbLoginResponse } {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === 'SANDBOX_FB_LOGIN' &&
    typeof (data as { response?: unknown }).response === 'object'
  );
}

const STEP_WORDS: Record<string, string> = {
  BUSINESS_ACCOUNT_SELECTION: 'the business portfolio screen',
  WABA_PHONE_PROFILE_PICKER: 'the account and number choice',
  WHATSAPP_BUSINESS_PROFILE_SETUP: 'the business profile',
  PHONE_NUMBER_SETUP: 'the phone number screen',
  PHONE_NUMBER_VERIFICATION: 'the number’s verification',
  PERMISSIONS: 'the permissions screen',
};

const stepWords = (step: string): string => STEP_WORDS[step] ?? step.toLowerCase().replaceAll('_', ' ');
