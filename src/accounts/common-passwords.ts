/**
 * Passwords and password stems that show up first in every guessing list: the words people
 * reach for, and the stems they decorate with digits, symbols or look-alike characters
 * ("Password123!", "P@ssw0rd", "Summer2024"). Written for the hub, in lower case, letters and
 * digits only; password-policy.ts compares a password's bare stem against it, so a stem here
 * also refuses its decorated forms. Keyboard walks, sequences and repetitions are caught by
 * rule there, not listed. Small on purpose: it stops the obvious, it is not a breach corpus.
 */
const WORDS = `
password passwort passwd passcode passphrase passw pass motdepasse contrasena contrasenha senha
wachtwoord salasana losenord passord adgangskode haslo heslo parola parolachiave lozinka jelszo
sifre kennwort geheim secreto segreto secret secrets topsecret supersecret verysecret mysecret
admin administrator administrador admins root toor superuser superadmin sysadmin webmaster
sysop operator manager support helpdesk service services system systems server servers
guest user users username login logon logmein letmein letmeinnow openup opensesame access
accessgranted accessdenied default defaults changeme changemenow changethis changeit
changeyourpassword newpassword oldpassword mypassword yourpassword thepassword passwordpassword
nopassword mypass mypasswd temppassword temppass tempuser temp test tester testing testtest
testaccount testuser demo demouser sample example public private welcome welcomeback
welcomehome welcometo hello helloworld hellothere hiya goodmorning goodnight goodbye
iloveyou iloveu iloveme ilovemyself iloveyouforever loveyou loveme lovely lover loving
trustno trustnoone nobody nothing whatever whatsup forever always never somebody someone
qwerty qwertz azerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx qazwsxedc
abcdef abcdefgh abcdefghij abcdefghijkl abcabc abcdabcd aaaaaa zzzzzz
dragon monkey shadow master killer hunter ranger tiger tigger lion eagle falcon phoenix
wolf wolves panther jaguar cobra viper python spider batman superman spiderman ironman
starwars startrek jedi skywalker darthvader yoda pokemon pikachu mario zelda minecraft
fortnite roblox warcraft matrix neo trinity gandalf frodo hobbit hogwarts harrypotter
football baseball basketball soccer hockey tennis golf rugby cricket volleyball nascar
yankees lakers cowboys steelers liverpool chelsea arsenal barcelona realmadrid juventus
manchester manutd united
sunshine princess princesa angel angels baby babygirl babyboy sweetheart sweetie honey
honeybee buttercup butterfly flower flowers rainbow unicorn cupcake cookie cookies
chocolate candy sugar banana apple orange cherry strawberry pineapple peaches lemon
coffee pizza burger cheese chicken bacon pepper ginger cinnamon vanilla
charlie buster bailey bella daisy lucky max molly rocky sophie maggie oscar simba snoopy
jordan michael michelle jennifer jessica ashley nicole daniel david robert thomas andrew
joshua matthew anthony william richard charles joseph christopher justin george james john
maria mary anna elizabeth sarah amanda melissa stephanie heather samantha natasha
computer internet network online website google facebook instagram twitter linkedin
youtube netflix amazon microsoft windows macbook iphone android samsung nokia
linux ubuntu debian oracle mysql postgres database backup github gitlab docker
integrationhub integration hub pagerduty linear incident incidents oncall
summer winter spring autumn fall january february march april may june july august
september october november december monday tuesday wednesday thursday friday saturday sunday
christmas merrychristmas happybirthday birthday holiday vacation weekend newyear
freedom liberty justice peace happy happiness smile family friends friend friendship
beautiful pretty gorgeous sexy hottie cutie lovelove kisses
music guitar piano rockstar rocknroll metallica nirvana beatles eminem
money dollar dollars cash rich million millionaire bitcoin crypto ethereum
silver golden diamond platinum crystal
mustang corvette ferrari porsche harley yamaha honda toyota mercedes bmw audi
hacker hacking hacked cyber security secure insecure safety
blink ncc blink182 ncc1701 zaq zaqwsx zaq1zaq1 asdasd qweqwe zxczxc
pass1234 password1 password12 password123 password1234 abc123 abc1234 qwe123 qwerty123
iloveyou123 welcome123 admin123 root123 letmein123 monkey123 dragon123 123abc 1q2w3e4r
1q2w3e4r5t 1qaz2wsx 1qazxsw2 zaq12wsx q1w2e3r4 a1b2c3d4 aa123456
123456789012 1234567890 0987654321 12345678910 11111111 00000000 12341234 123123123
147258369 159357 741852963 789456123 987654321 qwerty12345 asdf1234 zxcv1234
thisismypassword thisisapassword thisisasecret thisisit thequickbrownfox
donotuse dontuse dontforget dontknow idontknow noidea forgot forgotten remember rememberme
myaccount account accounts company business office work working worker
student school college university teacher doctor nurse police fireman
mother father mommy daddy brother sister daughter son wife husband
jesus christ god godisgood blessed faith heaven hell devil lucifer
`;

/** The list as a set, for password-policy.ts. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((word) => word !== ''));
