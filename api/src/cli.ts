/**
 * `npm run loupe -- <command>`: operations from the shell.
 *   project create <name> [--origin <origin>]… [--json]   create a project, an API token, print the install snippet
 *   project list [--json]
 *   token create --project <id> [--name <name>] [--json]
 *   token revoke <tokenId>
 *   migrate                                                apply pending migrations and exit
 * On the embedded default the CLI opens the PGlite directory itself, so it cannot run while the api does.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, publicUrl } from './config.ts';
import { openDatabase, type Database } from './db/openDatabase.ts';
import { createLogger } from './logger.ts';
import { createApiToken } from './projects/createApiToken.ts';
import { createProject } from './projects/createProject.ts';
import { installSnippet } from './projects/installSnippet.ts';

const USAGE = `usage: npm run loupe -- <command>
  project create <name> [--origin <origin>]... [--json]
  project list [--json]
  token create --project <id> [--name <name>] [--json]
  token revoke <tokenId>
  migrate`;

class UsageError extends Error {}

async function run(db: Database, baseUrl: string, argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      origin: { type: 'string', multiple: true },
      project: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [noun, verb, ...rest] = positionals;
  const out = (human: string, data: unknown) => (values.json ? JSON.stringify(data) : human);
  if (noun === 'migrate') return 'migrations are up to date';
  if (noun === 'project' && verb === 'create') {
    const name = rest.join(' ');
    if (!name) throw new UsageError('project create needs a name');
    const project = await createProject(db.prisma, { name, settings: { allowedOrigins: values.origin ?? [] } });
    const { id: tokenId, token } = await createApiToken(db.sql, { name: 'cli', projectIds: [project.id] });
    const snippet = installSnippet(baseUrl, project.ingestKey);
    return out(
      `Project ${project.name} created.\n  id:          ${project.id}\n  ingest key:  ${project.ingestKey}\n` +
        `  API token:   ${token}   (shown once; id ${tokenId})\n  origins:     ${project.settings.allowedOrigins.join(', ') || '(none: add some before going live)'}\n\n` +
        `Paste into the <head> of every page:\n${snippet}`,
      { ...project, token, tokenId, snippet },
    );
  }
  if (noun === 'project' && verb === 'list') {
    const projects = await db.prisma.project.findMany({ orderBy: { createdAt: 'asc' } });
    const rows = projects.map((p) => ({ id: p.id, name: p.name, ingestKey: p.ingestKey, disabled: p.disabledAt !== null }));
    return out(rows.map((p) => `${p.id}  ${p.ingestKey}  ${p.name}${p.disabled ? '  (disabled)' : ''}`).join('\n') || '(no projects)', rows);
  }
  if (noun === 'token' && verb === 'create') {
    if (!values.project) throw new UsageError('token create needs --project <id>');
    const exists = await db.prisma.project.findUnique({ where: { id: values.project } });
    if (!exists) throw new UsageError(`no project ${values.project}`);
    const { id, token } = await createApiToken(db.sql, { name: values.name ?? 'cli', projectIds: [values.project] });
    return out(`API token (shown once): ${token}\n  id: ${id}`, { id, token });
  }
  if (noun === 'token' && verb === 'revoke') {
    const tokenId = rest[0];
    if (!tokenId) throw new UsageError('token revoke needs a token id');
    const { count } = await db.prisma.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new UsageError(`no active token ${tokenId}`);
    return `token ${tokenId} revoked`;
  }
  throw new UsageError(USAGE);
}

async function main(): Promise<number> {
  let db: Database | undefined;
  try {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'loupe-cli');
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.LOUPE_DATA_DIR, logger });
    process.stdout.write(`${await run(db, publicUrl(config), process.argv.slice(2))}\n`);
    return 0;
  } catch (err) {
    const known = err instanceof UsageError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${known ? (err as Error).message : (err as Error).stack ?? String(err)}\n`);
    return err instanceof UsageError || known ? 2 : 1;
  } finally {
    await db?.close();
  }
}

// The WASM-free stack still leaves pool timers; exit explicitly once output is flushed.
main().then((code) => process.exit(code));
