/**
 * The tracker's scripts. `/t/<ingestKey>.js` is the eager core with that project's settings inlined (short cache:
 * a settings change reaches browsers within 5 minutes); `/t/recorder.<hash>.js` and `/t/sha256.<hash>.js` are
 * content-hashed and cached for a year.
 */
import { z } from 'zod';
import { publicUrl } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { inlineConfig } from '@loupe/tracker/build';
import { getTrackerProject } from '../queries/getTrackerProject.ts';
import { coreAsset, hashedAsset, recorderAsset, sha256Asset } from '../tracker/assets.ts';
import { trackerConfig } from '../tracker/trackerConfig.ts';
import { defineRoute } from './defineRoute.ts';

export const CORE_CACHE = 'public, max-age=300, stale-while-revalidate=3600';
export const HASHED_CACHE = 'public, max-age=31536000, immutable';

export const trackerScriptRoute = defineRoute({
  method: 'get',
  path: '/t/:file',
  summary:
    "A project's tracker (`/t/<ingestKey>.js`, settings inlined, cached 5 min) or a content-hashed lazy bundle " +
    '(`/t/recorder.<hash>.js`, `/t/sha256.<hash>.js`, cached for a year).',
  tag: 'tracker',
  auth: 'public',
  params: z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.js$/, 'expected <ingestKey>.js') }),
  produces: 'text/javascript',
  errors: [400, 404],
  async handler({ params, req, res, deps }) {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': '*' });
    const hashed = await hashedAsset(params.file);
    if (hashed) {
      res.set('Cache-Control', HASHED_CACHE).type('text/javascript').send(hashed.js);
      return undefined;
    }
    const project = await getTrackerProject(deps.db.prisma, params.file.slice(0, -3));
    if (!project || project.disabled) throw new HttpError(404, 'unknown_project', 'no enabled project has this key');
    // Behind a proxy, LOUPE_PUBLIC_URL names the public address; otherwise the script talks to where it came from.
    const base = deps.config.LOUPE_PUBLIC_URL ? publicUrl(deps.config) : `${req.protocol}://${req.get('host') ?? ''}`;
    const [core, recorder, sha256] = await Promise.all([coreAsset(), recorderAsset(), sha256Asset()]);
    const js = inlineConfig(core.js, trackerConfig(base.replace(/\/+$/, ''), project, { recorder: recorder.file, sha256: sha256.file }));
    res.set('Cache-Control', CORE_CACHE).type('text/javascript').send(js);
    return undefined;
  },
});
