/** Storage key of the reader's explicit theme choice; absent means "follow the system". */
export const THEME_KEY = 'course-theme';

/**
 * Runs before first paint (inlined in <head>) so a stored dark/light choice never flashes the other
 * theme. Kept tiny and dependency-free on purpose.
 */
export const themeBootScript = `try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;
