import { Platform, Plugin } from 'obsidian';
import { CanonController } from './canon-controller';
import { registerCommands } from './commands';
import { reportFailure } from './report-failure';
import { registerSession } from './session/register-session';
import { CanonSettingTab } from './settings/settings-tab';
import { LiveChecks } from './stack/live-checks';
import { StackIndex } from './stack/stack-index';
import { registerRowLinks } from './stack/row-links';
import { StatusBar } from './stack/status-bar';
import { StackView } from './stack/stack-view';
import { STACK_VIEW_TYPE } from './view-types';

/** Canon's Obsidian plugin: wiring only. onload touches no notes; the first check runs once the layout is ready. */
export default class CanonPlugin extends Plugin {
  controller!: CanonController;
  private unloaded = false;

  override async onload(): Promise<void> {
    const index = new StackIndex(this.app, () => new Date());
    const controller = new CanonController(this.app, this, index);
    this.controller = controller;
    // Mobile has no status bar (Plugin.addStatusBarItem: "Not available on mobile"): the stack view's title shows the count.
    const hasStatusBar = !Platform.isMobile && typeof this.addStatusBarItem === 'function';
    this.registerView(STACK_VIEW_TYPE, (leaf) => new StackView(leaf, controller, { countInTitle: !hasStatusBar }));
    registerCommands(this, controller);
    const session = registerSession(this, controller, index);
    registerRowLinks(this, controller);
    this.addRibbonIcon('layers', 'Open the stack view', reportFailure('open the stack view', () => controller.activateStackView()));
    if (hasStatusBar) {
      const statusBar = new StatusBar(this.addStatusBarItem(), () => void controller.activateStackView());
      this.register(index.onSnapshot((snapshot) => statusBar.render(snapshot)));
    }
    this.addSettingTab(new CanonSettingTab(this.app, this, index, () => controller.validateNow()));
    controller.live = new LiveChecks(this, index, (mode) => (mode === 'live' ? index.refresh('live').then(() => undefined) : controller.validateNow()));
    // Obsidian runs this callback even when the plugin was disabled before the layout was ready.
    this.app.workspace.onLayoutReady(() => {
      if (this.unloaded) return;
      controller.live?.start();
      session.start(this);
    });
  }

  override onunload(): void {
    this.unloaded = true;
  }
}
