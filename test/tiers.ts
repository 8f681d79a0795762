/**
 * What `npm test`'s tiers run beyond the machine's engine and the default CNI
 * (issue 20): one newer Docker engine and one CNI that enforces NetworkPolicy.
 * The tests and the builds started beside them (test/prebuild.ts) read it here.
 */
/** The newer engine the integration tier runs the Docker suite on (a lab host built from its module). */
export const newerEngine = '29.8';
/** The non-default CNI the kind tier runs end to end: kube-router enforces NetworkPolicy, so its K18 suite reads differently from kindnetd-lab's. */
export const enforcingCni = 'kube-router';
