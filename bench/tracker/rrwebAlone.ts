/** Stock `@rrweb/record` with default options, events kept in memory: the reference recorder. */
import { record } from '@rrweb/record';

const events: unknown[] = [];
record({ emit: (e) => void events.push(e) });
