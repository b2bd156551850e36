/** Leaving the app for a provider's consent page; an object so tests can replace it. */
export const browser = {
  leaveFor(url: string): void {
    window.location.assign(url);
  },
};
