// Shared parameter types.

@export()
@description('A customs broker that drops batch files over SFTP.')
type broker = {
  @description('Broker id: 3-64 lowercase letters and digits. It is the SFTP local user name and the folder inbound/<name>.')
  @minLength(3)
  @maxLength(64)
  name: string

  @description('OpenSSH public keys (e.g. "ssh-ed25519 AAAA... broker@host"). Passwords are never enabled.')
  @minLength(1)
  sshPublicKeys: string[]

  @description('Permissions on the inbound container. Default "cw" (create, write): upload only, no listing or reading of other brokers\' files.')
  inboundPermissions: string?

  @description('Also grant read + list on the outbound container to fetch CONTRL acknowledgements. The scope is the whole container (see docs/deploy.md).')
  readAcknowledgements: bool?
}
