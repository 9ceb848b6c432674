import helmet from 'helmet';
import { FIRST_PAINT_SCRIPT_HASH } from './first-paint-script.ts';

/**
 * Only the app's own scripts run; nothing may frame it (clickjacking a vote); no sniffing.
 * Styles allow inline because Svelte sets style attributes; the only inline script is the
 * participant page's first paint's, allowed by its hash.
 */
export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", FIRST_PAINT_SCRIPT_HASH],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Links are shared by QR code and chat; never leak the path (join code) onward.
    referrerPolicy: { policy: 'no-referrer' },
  });

/** What the transport's own HTTP answers (long-polling) carry: they are never pages to frame or run. */
export function pollingHeaders(headers: Record<string, string>): void {
  headers['Content-Security-Policy'] = "default-src 'none'; frame-ancestors 'none'";
  headers['X-Content-Type-Options'] = 'nosniff';
  headers['X-Frame-Options'] = 'DENY';
  headers['Referrer-Policy'] = 'no-referrer';
  headers['Cross-Origin-Resource-Policy'] = 'same-origin';
}
