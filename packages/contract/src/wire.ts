/**
 * The one place where short wire keys are mapped to domain names, in both directions. The tracker encodes
 * with `toWire`; the api decodes with `fromWire` and then validates with the zod schemas. Zod-free.
 */
import type { Batch, LoupeEvent } from './schema.ts';
import { CONTRACT_VERSION, EventType } from './eventTypes.ts';

/** A key map: domain key → wire key, or → [wire key, map of the nested object]. */
type KeySpec = { readonly [key: string]: string | readonly [string, KeySpec] };
type Wire = Record<string, unknown>;

/** Wire codes of event types. */
export const EVENT_CODES = {
  pageView: 'pv',
  click: 'cl',
  scroll: 'sc',
  resize: 'rs',
  visibility: 'vs',
  error: 'er',
  tag: 'tg',
  custom: 'ev',
  identify: 'id',
  consent: 'cn',
  checkout: 'co',
  recording: 'rc',
} as const satisfies Record<EventType, string>;

const size = { width: 'w', height: 'h' } as const;

/** Envelope keys; `events` is handled per event type below. */
export const ENVELOPE_KEYS = {
  version: 'v',
  projectKey: 'k',
  visitorId: 'vi',
  sessionId: 'si',
  pageViewId: 'pi',
  seq: 'n',
  clientTime: 'ct',
  url: 'u',
  referrer: 'r',
  viewport: ['vp', size],
  screen: ['sc', { ...size, pixelRatio: 'd' }],
  userAgent: ['ua', { ua: 's', mobile: 'm', platform: 'p', brands: 'b' }],
  events: 'e',
} as const satisfies { readonly [K in keyof Batch]-?: string | readonly [string, KeySpec] };

/** Keys every event has. */
const COMMON = { type: 't', time: 'ts' } as const;

type EventKeys = { readonly [T in EventType]: { readonly [K in Exclude<keyof Extract<LoupeEvent, { type: T }>, 'type' | 'time'>]-?: string } };

/** Per-type event keys (`type` and `time` are common to all). */
export const EVENT_KEYS = {
  pageView: { pageViewId: 'pi', url: 'u', referrer: 'r', title: 'ti', navigation: 'nv' },
  click: { x: 'x', y: 'y', pageX: 'px', pageY: 'py', selector: 's', relX: 'rx', relY: 'ry', interactive: 'i', href: 'h', reaction: 'rc' },
  scroll: { y: 'y', depth: 'd' },
  resize: { width: 'w', height: 'h' },
  visibility: { visible: 'vi', activeMs: 'a' },
  error: { kind: 'k', message: 'm', source: 'src', line: 'l', column: 'c', stack: 'st' },
  tag: { key: 'k', value: 'v' },
  custom: { name: 'nm' },
  identify: { idHash: 'h' },
  consent: { granted: 'g' },
  checkout: { step: 'st', token: 'tk', value: 'v', currency: 'cu', source: 'src' },
  recording: { chunk: 'ch', bytes: 'b' },
} as const satisfies EventKeys;

/** Wire key of domain key `K` under spec `S` (a plain string rule, or the first element of a nested one). */
type WireKey<S, K> = K extends keyof S ? (S[K] extends string ? S[K] : S[K] extends readonly [infer W extends string, unknown] ? W : never) : never;
/** Renames the keys of `T` by spec `S`, keeping each key's optionality (homomorphic mapped type). */
type Rename<T, S> = { [K in keyof T as WireKey<S, K>]: T[K] };

/**
 * The wire form of an event of type `T`, derived from `EVENT_KEYS`: the browser builds events in this form directly,
 * so its bundle carries no key tables (the api decodes with `fromWire`, unchanged).
 */
export type WireEventOf<T extends EventType> = { t: (typeof EVENT_CODES)[T]; ts: number } & Rename<
  Omit<Extract<LoupeEvent, { type: T }>, 'type' | 'time'>,
  (typeof EVENT_KEYS)[T]
>;
/** Any event in wire form. */
export type WireEvent = { [T in EventType]: WireEventOf<T> }[EventType];
type Env = Omit<Batch, 'events'>;
/** The wire form of a batch envelope's page fields (nested objects renamed too). */
export type WirePageInfo = {
  u: Env['url'];
  r?: Env['referrer'];
  vp: Rename<Env['viewport'], typeof size>;
  sc: Rename<Env['screen'], (typeof ENVELOPE_KEYS)['screen'][1]>;
  ua: Rename<Env['userAgent'], (typeof ENVELOPE_KEYS)['userAgent'][1]>;
};
/** A batch in wire form, as the tracker sends it. */
export type WireBatch = Rename<Omit<Env, 'url' | 'referrer' | 'viewport' | 'screen' | 'userAgent'>, typeof ENVELOPE_KEYS> &
  WirePageInfo & { e: WireEvent[] };

const isObject = (v: unknown): v is Wire => typeof v === 'object' && v !== null && !Array.isArray(v);

function encodeWith(obj: Wire, spec: KeySpec): Wire {
  const out: Wire = {};
  for (const key of Object.keys(obj)) {
    const rule = spec[key];
    const value = obj[key];
    if (rule === undefined || value === undefined) continue;
    if (typeof rule === 'string') out[rule] = value;
    else out[rule[0]] = isObject(value) ? encodeWith(value, rule[1]) : value;
  }
  return out;
}

/** Reverse maps are built once per spec. */
const reversed = new WeakMap<KeySpec, Map<string, [string, KeySpec | undefined]>>();
function reverse(spec: KeySpec): Map<string, [string, KeySpec | undefined]> {
  let map = reversed.get(spec);
  if (!map) {
    map = new Map();
    for (const [key, rule] of Object.entries(spec)) {
      if (typeof rule === 'string') map.set(rule, [key, undefined]);
      else map.set(rule[0], [key, rule[1]]);
    }
    reversed.set(spec, map);
  }
  return map;
}

/** Unknown wire keys are dropped: a newer tracker's extra fields never break an older api. */
function decodeWith(obj: Wire, spec: KeySpec): Wire {
  const out: Wire = {};
  const map = reverse(spec);
  for (const wireKey of Object.keys(obj)) {
    const hit = map.get(wireKey);
    if (!hit) continue;
    const value = obj[wireKey];
    out[hit[0]] = hit[1] && isObject(value) ? decodeWith(value, hit[1]) : value;
  }
  return out;
}

const CODE_TO_TYPE = /* @__PURE__ */ new Map<string, EventType>(
  Object.entries(EVENT_CODES).map(([type, code]) => [code, type as EventType]),
);

/** Built once per type: the reverse-map cache is keyed by spec identity. */
const EVENT_SPECS = /* @__PURE__ */ new Map<EventType, KeySpec>(
  (Object.keys(EVENT_CODES) as EventType[]).map((type): [EventType, KeySpec] => [type, { ...COMMON, ...EVENT_KEYS[type] }]),
);
const eventSpec = (type: EventType): KeySpec => EVENT_SPECS.get(type) ?? COMMON;

/** Encodes one event for the wire. */
export function eventToWire(event: LoupeEvent): Wire {
  const wire = encodeWith(event as unknown as Wire, eventSpec(event.type));
  wire[COMMON.type] = EVENT_CODES[event.type];
  return wire;
}

/** Encodes a batch for the wire (the tracker's side). */
export function toWire(batch: Batch): Wire {
  const { events, ...envelope } = batch;
  const wire = encodeWith(envelope, ENVELOPE_KEYS);
  wire[ENVELOPE_KEYS.events] = events.map(eventToWire);
  return wire;
}

function eventFromWire(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const type = CODE_TO_TYPE.get(String(raw[COMMON.type]));
  // An unknown code is kept as-is so validation names it rather than silently dropping the event.
  if (!type) return { type: raw[COMMON.type], time: raw[COMMON.time] };
  const event = decodeWith(raw, eventSpec(type));
  event.type = type;
  return event;
}

/** Upgraders from each older contract version to the next; version N's entry turns an N wire batch into N+1. */
export type WireUpgrades = Readonly<Record<number, (wire: Wire) => Wire>>;
const UPGRADES: WireUpgrades = {};

/** Brings a wire batch of an older contract version up to the current one, step by step. */
export function upgradeWire(raw: Wire, upgrades: WireUpgrades = UPGRADES): Wire {
  let wire = raw;
  for (let version = wire[ENVELOPE_KEYS.version]; typeof version === 'number' && version < CONTRACT_VERSION; ) {
    const up = upgrades[version];
    if (!up) break;
    wire = up(wire);
    version = wire[ENVELOPE_KEYS.version];
  }
  return wire;
}

/**
 * Decodes a wire batch into its domain form, upgrading older contract versions first. Does not validate:
 * pass the result to `batchSchema`. Structurally odd input is passed through so that validation can name it.
 */
export function fromWire(raw: unknown, upgrades: WireUpgrades = UPGRADES): unknown {
  if (!isObject(raw)) return raw;
  const wire = upgradeWire(raw, upgrades);
  const batch = decodeWith(wire, ENVELOPE_KEYS);
  const events = wire[ENVELOPE_KEYS.events];
  if (Array.isArray(events)) batch.events = events.map(eventFromWire);
  return batch;
}
