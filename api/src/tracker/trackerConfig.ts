import type { ProjectSettings, TrackerConfig } from '@loupe/contract';

/**
 * The settings inlined into a project's `/t/<ingestKey>.js`: everything the tracker must know before its first
 * request. The identify salt is public by nature (the browser hashes with it); it only stops one project's hashes
 * from matching another's.
 */
export function trackerConfig(
  base: string,
  project: { ingestKey: string; identifySalt: string; settings: ProjectSettings },
  files: { recorder: string; sha256: string },
): TrackerConfig {
  const s = project.settings;
  return {
    key: project.ingestKey,
    collect: `${base}/collect`,
    record: `${base}/record`,
    recorder: `${base}/t/${files.recorder}`,
    sha256: `${base}/t/${files.sha256}`,
    consentRequired: s.consentRequired,
    honorDnt: s.honorDoNotTrack,
    masking: s.masking,
    recording: s.recording.enabled && s.recording.sampleRate > 0 && s.recording.dailyCap > 0,
    sampleRate: s.recording.sampleRate,
    salt: project.identifySalt,
    cookieDomain: s.cookieDomain,
  };
}
