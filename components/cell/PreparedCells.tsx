'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { PreparedCell } from '@/lib/lessons/types';

const PreparedCellsContext = createContext<Record<string, PreparedCell>>({});

/** The page's cells as the build prepared them (compiled and highlighted), by cell id. */
export function PreparedCellsProvider({ cells, children }: { cells: Record<string, PreparedCell>; children: ReactNode }) {
  return <PreparedCellsContext.Provider value={cells}>{children}</PreparedCellsContext.Provider>;
}

export function usePreparedCell(id: string): PreparedCell | undefined {
  return useContext(PreparedCellsContext)[id];
}
