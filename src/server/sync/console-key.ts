// Whose console a push or pull is filed under (issue 12, finding 4). A console's clientId is its
// own name for itself, and anyone who learnt it could push under it — moving its lastMutationId
// far ahead, so the server skipped or refused its real changes for ever — or pull its results.
// The server therefore files every console by the user and the clientId together: another user
// using the same clientId gets a console of their own, and a shared desk's console (several
// users, one clientId) keeps one line of mutation ids per user. The clientId travels in a header,
// not the URL, so request logs do not record it (routes-sync.ts).
//
// Consoles filed before this (rows keyed by the bare clientId) are carried over by migration 0011
// to the user who pushed under them last, results included, and the old rows kept: another user's
// first push under such a console starts from its old lastMutationId — a shared desk's change
// applied just before the upgrade is not applied again — unless that is beyond MAX_ID_JUMP (what
// the attack above left), then from 0.

/** The key a console's mutations, results and lastMutationId are stored under. */
export const consoleKey = (userId: string, clientId: string): string => `${userId}/${clientId}`

/**
 * The largest step a console's mutation ids may take at once. Ids count up by one per change on
 * a console (other users' changes on a shared console leave gaps); no console makes a hundred
 * million. A bigger step is a bug or an attack that would make the server skip everything below.
 */
export const MAX_ID_JUMP = 100_000_000
