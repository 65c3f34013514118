import type { Place } from '../core/place.js';

/** The configuration of `$LATEST` or of one published version. Published ones are never changed. */
export interface FunctionConfig {
  Version: string;
  Description: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  CodeSha256: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Environment: Record<string, string>;
  Layers: string[];
  Architectures: string[];
  PackageType: string;
  EphemeralStorage: number;
  TracingMode: string;
  DeadLetterTargetArn?: string;
  /** The signature of the deployed package (set with `PUT /_emulator/signing`); absent for unsigned code. */
  SigningProfileVersionArn?: string;
  SigningJobArn?: string;
  RevisionId: string;
  State: 'Pending' | 'Active';
  LastUpdateStatus?: 'InProgress' | 'Successful';
}

export interface AliasRecord {
  Name: string;
  FunctionVersion: string;
  Description: string;
  /** Version → weight; absent when the alias sends everything to one version. */
  Weights?: Record<string, number>;
  RevisionId: string;
}

export interface FunctionRecord {
  name: string;
  place: Place;
  latest: FunctionConfig;
  /** Published versions by number. */
  versions: Map<string, FunctionConfig>;
  /** AWS never reuses a version number, even after the version is deleted. */
  nextVersion: number;
  aliases: Map<string, AliasRecord>;
  tags: Map<string, string>;
  /** When the pending creation or update of `$LATEST` finishes, if one is under way. */
  busyUntil?: number;
}
