import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';

/** JWKS and OpenID configuration at PagerDuty's paths (API-NOTES §1.2, DD-IDTOKEN). */
export function registerDiscovery(app: FastifyInstance, ctx: PdContext): void {
  const issuer = () => `${ctx.urls.api}/global/oauth/anonymous`;
  app.get('/global/oauth/anonymous/jwks', async () => ctx.idTokens.jwks());
  app.get('/global/oauth/anonymous/.well-known/openid-configuration', async () => ({
    issuer: issuer(),
    authorization_endpoint: `${ctx.urls.api}/oauth/authorize`,
    token_endpoint: `${ctx.urls.api}/oauth/token`,
    jwks_uri: `${issuer()}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
  }));
}
