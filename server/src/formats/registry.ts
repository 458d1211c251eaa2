// Report formats beyond the built-in text, json and sarif: one file each, one line here.

import type { Formatter } from './types';
import { github } from './github';
import { gitlab } from './gitlab';
import { checkstyle } from './checkstyle';

export const FORMATS: Record<string, Formatter> = { github, gitlab, checkstyle };

export type { Formatter, ReportFile, FormatContext } from './types';
