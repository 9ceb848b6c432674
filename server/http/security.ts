import helmet from 'helmet';

/**
 * Only the app's own scripts run; nothing may frame it (clickjacking a vote); no sniffing.
 * Styles allow inline because Svelte sets style attributes; no script is inline.
 */
export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
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
