import { type Place, placeKey } from '../core/place.js';

/** One region switched on or off for one account with `PUT /_emulator/regions`. */
export interface RegionSwitch {
  account: string;
  region: string;
  enabled: boolean;
}

/**
 * Regions switched off per account, as an opt-in region that the account has not enabled (AWS answers every call
 * there as if the credentials did not exist). Every region is enabled until switched off.
 */
export class RegionSwitches {
  private readonly switches = new Map<string, RegionSwitch>();

  set(where: Place, enabled: boolean): RegionSwitch {
    const entry = { account: where.account, region: where.region, enabled };
    this.switches.set(placeKey(where), entry);
    return entry;
  }

  enabled(where: Place): boolean {
    return this.switches.get(placeKey(where))?.enabled ?? true;
  }

  list(): RegionSwitch[] {
    return [...this.switches.values()];
  }

  clear(): void {
    this.switches.clear();
  }
}
