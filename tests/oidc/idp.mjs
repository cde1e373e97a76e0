// A real OpenID Connect provider for the single sign-on tests: node-oidc-provider with its development
// sign-in pages (any password; the login is the account's email). Usage: node idp.mjs CONFIG.json
// CONFIG: {"port", "issuer", "clients": [...], "jwks": {"keys": [private JWK]}}. Accounts whose login starts with
// "unverified." have email_verified false. Prints "ready" once it listens.
import fs from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: ['wattboard-test-idp-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        const email = id.replace(/^unverified\./, '');
        return { sub: id, email, email_verified: !id.startsWith('unverified.') };
      },
    };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

provider.listen(config.port, '127.0.0.1', () => console.log('ready'));
