import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * RS256 ID tokens and the JWKS that verifies them (API-NOTES §1.7, DD-IDTOKEN). The key pair is
 * made on first use and lives as long as the process (reset keeps it, like a real JWKS).
 */
export class IdTokenSigner {
  private key?: { privateKey: KeyObject; publicKey: KeyObject; kid: string };

  sign(claims: Record<string, unknown>): string {
    const { privateKey, kid } = this.keys();
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    return `${input}.${signature}`;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    const { publicKey, kid } = this.keys();
    return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
  }

  private keys() {
    if (!this.key) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
      this.key = { privateKey: createPrivateKey(pem), publicKey: createPublicKey(pem), kid: 'sandbox-1' };
    }
    return this.key;
  }
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
