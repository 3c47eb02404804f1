import assert from 'node:assert/strict';
import { parseProjectSettings, projectSettingsSchema } from '../src/settings.ts';

describe('project settings', () => {
  it('fills every default from an empty object', () => {
    const s = parseProjectSettings({});
    assert.equal(s.masking, 'balanced');
    assert.equal(s.recording.dailyCap, 100_000);
    assert.equal(s.recording.sampleRate, 1);
    assert.equal(s.retention.recordingsDays, 30);
    assert.equal(s.retention.eventsDays, 395);
    assert.equal(s.timeZone, 'UTC');
    assert.deepEqual(s.allowedOrigins, []);
    assert.equal(s.urlRules.dropParams, 'tracking');
  });

  it('rejects a bad time zone, origin and CIDR by name', () => {
    for (const [input, field] of [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ allowedOrigins: ['ftp://x y'] }, 'allowedOrigins'],
      [{ internalIpRanges: ['not-an-ip'] }, 'internalIpRanges'],
      [{ recording: { sampleRate: 2 } }, 'recording'],
    ] as const) {
      const r = projectSettingsSchema.safeParse(input);
      assert.equal(r.success, false);
      assert.equal(String(r.error?.issues[0]?.path[0]), field);
    }
  });
});
