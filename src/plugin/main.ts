import { Plugin } from 'obsidian';

/** Canon's Obsidian plugin: loads and waits; the commands and views come with the plugin issue. */
export default class CanonPlugin extends Plugin {
  override async onload(): Promise<void> {
    // Deliberately empty: onload does no vault-wide work.
  }
}
