type sibling_t = char;
