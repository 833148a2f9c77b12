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

  @description('Container-wide permissions on inbound. Default "l" (list only): uploads are granted by the ACL the app sets on inbound/<name> for this broker\'s SFTP user alone, so a broker cannot write into another broker\'s folder. "cw" restores container-wide upload (any folder; the app then still quarantines files the folder\'s broker did not upload).')
  inboundPermissions: string?

  @description('Also let the broker fetch CONTRL acknowledgements from outbound/<name> (read through the ACL on its own folder; container-wide list only).')
  readAcknowledgements: bool?
}
