/**
 * Project settings: defined once, here, and extended by every later feature. Stored as JSON on the project;
 * parsed with defaults so a project created before a setting existed reads the default.
 */
import { z } from 'zod';
import { MASKING_MODES } from './eventTypes.ts';

/** Query parameters dropped by default when normalising page URLs (glob `*` suffix allowed). */
export const DEFAULT_TRACKING_PARAMS = [
  'utm_*', 'gclid', 'gbraid', 'wbraid', 'dclid', 'fbclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'yclid',
  'mc_cid', 'mc_eid', '_ga', '_gl', '_ke', 'igshid', 'srsltid', '_kx', 'oly_anon_id', 'oly_enc_id', 'vero_id',
];

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** IPv4 or IPv6 CIDR, e.g. `10.0.0.0/8`, `2001:db8::/32`, or a single address. */
const cidr = z.string().regex(/^([0-9.]+|[0-9a-fA-F:]+)(\/\d{1,3})?$/, 'expected an IP address or CIDR range');

/**
 * An allowed origin: `https://shop.example.com` (exactly that origin), `shop.example.com` (http or https on that
 * host), `*.example.com` (any subdomain and the apex, http or https). Ports must be given in full-origin form.
 */
export const allowedOriginSchema = z
  .string()
  .regex(/^((https?:\/\/)?(\*\.)?[a-z0-9.-]+(:\d{1,5})?)$/i, 'expected an origin such as https://shop.example.com or *.example.com');

export const maskingModes = MASKING_MODES;

export const projectSettingsSchema = z.object({
  masking: z.enum(maskingModes).default('balanced'),
  recording: z
    .object({
      enabled: z.boolean().default(true),
      /** Share of sessions recorded, 0..1. */
      sampleRate: z.number().min(0).max(1).default(1),
      /** Recorded sessions per day at most, in the project's time zone. */
      dailyCap: z.number().int().min(0).default(100_000),
    })
    .prefault({}),
  /** Record nothing until the page calls `loupe('consent', true)`. */
  consentRequired: z.boolean().default(false),
  /** Honour Do-Not-Track and Global Privacy Control: such visitors are not tracked. */
  honorDoNotTrack: z.boolean().default(true),
  retention: z
    .object({
      recordingsDays: z.number().int().min(1).max(3650).default(30),
      /** Aggregates, events and heatmap data: 13 months by default. */
      eventsDays: z.number().int().min(1).max(3650).default(395),
    })
    .prefault({}),
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris').default('UTC'),
  /** Origins allowed to send data; an empty list refuses every browser request. */
  allowedOrigins: z.array(allowedOriginSchema).max(100).default([]),
  urlRules: z
    .object({
      /** `tracking`: drop known tracking parameters; `all`: drop every query parameter not in `keepParams`. */
      dropParams: z.enum(['tracking', 'all']).default('tracking'),
      /** Extra parameters to drop (glob `*` suffix allowed), on top of the defaults. */
      extraDropParams: z.array(z.string().min(1).max(64)).max(100).default([]),
      /** Parameters always kept, even when a drop rule matches. */
      keepParams: z.array(z.string().min(1).max(64)).max(100).default([]),
      /** Keep the `#fragment` (SPA hash routes); dropped by default. */
      keepHash: z.boolean().default(false),
    })
    .prefault({}),
  /** Requests from these ranges are acknowledged and not stored (the shop's own staff). */
  internalIpRanges: z.array(cidr).max(100).default([]),
  /**
   * Parent domain of the visitor cookie (`example.com` lets shop.example.com and blog.example.com share visitors);
   * empty: the page's own host.
   */
  /** Thresholds of the insight rules (docs/insights.md states each rule). */
  insights: z
    .object({
      /** Rage click: at least this many clicks… */
      rageClickCount: z.number().int().min(3).max(20).default(3),
      /** …each within this many ms of the previous one… */
      rageClickGapMs: z.number().int().min(200).max(5000).default(1000),
      /** …all within this many px (document coordinates) of the burst's first click. */
      rageClickRadiusPx: z.number().min(5).max(200).default(30),
      /** Error click: a JavaScript error on the same page at most this many ms after the click. */
      errorClickWindowMs: z.number().int().min(100).max(10_000).default(1000),
      /** Excessive scrolling: at least this many direction reversals on the page… */
      excessiveScrollMinReversals: z.number().int().min(1).max(50).default(3),
      /** …and reversals or scroll speed this many robust standard deviations above the page's normal. */
      excessiveScrollZ: z.number().min(1).max(10).default(3),
      /** Quick back: back on the previous page within this share of the site's median page dwell… */
      quickBackDwellShare: z.number().min(0.05).max(1).default(0.25),
      /** …clamped to [min, max] ms. */
      quickBackMinMs: z.number().int().min(500).max(60_000).default(2000),
      quickBackMaxMs: z.number().int().min(1000).max(120_000).default(12_000),
    })
    .prefault({}),
  cookieDomain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$|^$/i, 'expected a domain such as example.com').default(''),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
/** What callers may send when changing settings: any subset. */
export type ProjectSettingsInput = z.input<typeof projectSettingsSchema>;

/** Parses stored or submitted settings, filling defaults. */
export function parseProjectSettings(input: unknown): ProjectSettings {
  return projectSettingsSchema.parse(input ?? {});
}
