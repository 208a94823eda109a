// Click-to-WhatsApp ads, played by the simulator: the referral object Meta puts on a message sent from an ad
// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components, messages[].referral), and the ad's
// picture, served where Meta's CDN would serve it (the app fetches it through worker/ads/thumbnail.ts).
import { newRouter } from '../http';
import { SANDBOX_ORIGIN } from '../whatsapp/meta';
import { sandboxOnly } from './guard';

export const sandboxAdRoutes = newRouter();

/** A 48 x 48 PNG: the ad's picture, as small as a thumbnail gets. */
const THUMBNAIL_PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAACFUlEQVR42s3V60sTUBgG8OePiJAgQpAIS80yM8vE8lZmXlKT5tzF3a/Ozbk5d3F35+ZyLQkigogIIoIIISIEiSAigpBAIoKIIPwj7Gtfzvl24jl/wY/zPu/74MBG8eDdQk115VA1f/hO7kglW1vJ1K2nj66njt1O1peXG8qJprV4cynWUoq2FpfaipH21cWOQrizEOpaWejOB3vz8/25wEDOP5j1DWVmRzLesbRnIuWeTLk0Sac26dAt2w0JmylhtcQttpjZGTO5ozPeqNG3ZAhE9MGILrQ4HQlro+GpeEgDKk0ydAtUmvTCJKg02eBNUGnywQlQaVbnx0GlKQXGQKUpB26ASlPxj4JKU/WPgEqzMTcMKs093xCoNPd910GleTA7CCrNQ+81UGkeeQdApXnsuQoqzRPPFcg1+2qeSPPU3Q/53ygCiTTPXH2QT0oRSKR57uqFPDeKQCLNC2cP5ClWBBJpXjq6Id8pRSCR5pXjMuQbrggk0mzaL0F+bxSBRJrX9i7Ir58ikEjzxtYJ+S1WBBJp3lovQt4MikAizZa1A/KeUgQSabYtFyBvTUUgkead+Tz+T4dLUvyv5r25HVSaD6ZzoNJ8NLWBSvNp5iyoNJ+NraDSfDGeAZVmx9ACKs1X/WlQaXb1p0Cl+aZrBpXmu+4kqDQ/pptApfmpbQSV5pe2AVSa31MnQKX5ozkOKs2epv4vnQBWlPfTEoUAAAAASUVORK5CYII=',
  ),
  (ch) => ch.charCodeAt(0),
);

sandboxAdRoutes.get(
  '/ads/:name{[a-z0-9_-]+\\.png}',
  sandboxOnly,
  () =>
    new Response(THUMBNAIL_PNG, { headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=3600' } }),
);

/** The demo ad (the seed's, and the app's "as if from an ad"); any field can be given instead. */
export function sampleReferral(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_url: 'https://fb.me/clubchat-sandbox-ad',
    source_id: '120210000000000001',
    source_type: 'ad',
    headline: 'First month free at Anytime Gym',
    body: 'Join before Friday and your first month is on us. Tap to chat with the team.',
    media_type: 'image',
    image_url: `${SANDBOX_ORIGIN}/sandbox/ads/first-month-free.png`,
    thumbnail_url: `${SANDBOX_ORIGIN}/sandbox/ads/first-month-free.png`,
    ctwa_clid: `ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-${Date.now().toString(36)}`,
    welcome_message: { text: 'Hi! Tell us about the first month free' },
    ...overrides,
  };
}
