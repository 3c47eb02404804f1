/** Who is calling. Until accounts exist, the only principal is a project-scoped API token. */
export interface Principal {
  kind: 'apiToken';
  tokenId: string;
  /** Projects this principal may read and change. */
  projectIds: readonly string[];
}
