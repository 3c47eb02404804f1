import net from 'node:net';

/** A matcher for a project's internal IP ranges (CIDRs or single addresses), built once per settings version. */
export function ipMatcher(ranges: readonly string[]): (ip: string | undefined) => boolean {
  if (ranges.length === 0) return () => false;
  const list = new net.BlockList();
  for (const range of ranges) {
    const [addr = '', prefix] = range.split('/');
    const family = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (!net.isIP(addr)) continue;
    if (prefix === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(prefix), family);
  }
  return (ip) => {
    if (!ip) return false;
    const bare = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
    return list.check(bare, net.isIPv6(bare) ? 'ipv6' : 'ipv4');
  };
}
