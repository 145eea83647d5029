/**
 * Platform: the device the app runs on (desktop, or a phone or tablet with Android or iOS), with
 * the body classes that go with it.
 */

// ───────────────────────────────────────────── platform ─────────────────────────────────────────────

/** The platform: desktop unless the app was made for a phone or tablet (`FakeAppOptions.platform`). */
export const Platform = {
  isDesktop: true,
  isMobile: false,
  isDesktopApp: true,
  isMobileApp: false,
  isIosApp: false,
  isAndroidApp: false,
  isPhone: false,
  isTablet: false,
  isMacOS: false,
  isWin: false,
  isLinux: true,
  isSafari: false,
  resourcePathPrefix: 'app://local/',
};

/** Fake: the device an app runs on (`FakeAppOptions.platform`). */
export type FakePlatform = 'desktop' | 'phone' | 'tablet';

/** Fake: a mobile device's system (`FakeAppOptions.mobileOs`). */
export type FakeMobileOs = 'android' | 'ios';

const MOBILE_BODY_CLASSES = ['is-mobile', 'is-phone', 'is-tablet', 'is-ios', 'is-android'];
/** A desktop's OS flags while a mobile app is live (a test may have set them: they come back). */
let desktopOsFlags: Pick<typeof Platform, 'isMacOS' | 'isWin' | 'isLinux' | 'isSafari'> | null = null;

/**
 * Sets `Platform` and the body's classes for the device; every app does, so a phone in one test
 * does not leak into the next. A desktop's OS flags stay as a test set them.
 * Source: obsidian.d.ts 1.13.1 `Platform` (isMobile "The UI is in mobile mode", isMobileApp "the
 * capacitor-js mobile app", isPhone "very limited screen space", isTablet, isMacOS "or a device that
 * pretends to be one (like iPhones and iPads)", resourcePathPrefix "`file:///` on mobile"). The body
 * classes `is-mobile`, `is-phone`, `is-tablet`, `is-ios`, `is-android` are not in the d.ts or the
 * developer docs; they are what Obsidian's app.css, themes and plugins' styles select on.
 * Android's OS flags are a guess (all false): the d.ts says nothing of them.
 */
export function applyPlatform(platform: FakePlatform, os: FakeMobileOs, body: HTMLElement): void {
  const mobile = platform !== 'desktop';
  if (mobile) {
    desktopOsFlags ??= { isMacOS: Platform.isMacOS, isWin: Platform.isWin, isLinux: Platform.isLinux, isSafari: Platform.isSafari };
    Object.assign(Platform, { isMacOS: os === 'ios', isWin: false, isLinux: false, isSafari: os === 'ios' });
  } else if (desktopOsFlags) {
    Object.assign(Platform, desktopOsFlags);
    desktopOsFlags = null;
  }
  Object.assign(Platform, {
    isDesktop: !mobile,
    isMobile: mobile,
    isDesktopApp: !mobile,
    isMobileApp: mobile,
    isIosApp: mobile && os === 'ios',
    isAndroidApp: mobile && os === 'android',
    isPhone: platform === 'phone',
    isTablet: platform === 'tablet',
    resourcePathPrefix: mobile ? 'file:///' : 'app://local/',
  });
  body.removeClasses(MOBILE_BODY_CLASSES);
  if (mobile) body.addClasses(['is-mobile', `is-${platform}`, `is-${os}`]);
}
